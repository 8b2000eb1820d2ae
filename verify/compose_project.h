/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/compose_project.h: what `docker compose` reads besides the
 * compose file it is given (internal; verify/workload.c is its user):
 *  - the project directory's .env, read with compose's dotenv rules;
 *  - interpolation of $VAR / ${VAR...} in compose values from it;
 *  - COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR) and the default file
 *    names, the files compose reads when no -f is given;
 *  - for a compose file on disk, the .env and compose files next to it.
 *
 * The gate evaluates the project as compose would with an empty runtime
 * environment, and refuses wherever that environment could change the
 * answer: a variable with neither a value in .env nor a default.  Where
 * docker compose versions read a construct differently (a '#' inside an
 * unquoted value, escapes other than \n \r \\ \", a '$' not followed by a
 * name, operators inside an operator's word), the construct is refused
 * rather than guessed.  docs/gate.md lists the rules.
 */
#ifndef SN_COMPOSE_PROJECT_H
#define SN_COMPOSE_PROJECT_H

#include "base/base.h"

#include "base/yaml_strict.h"

#define SN_DOTENV_MAX_SIZE      (1024u * 1024u)      /* bytes of one .env file */
#define SN_DOTENV_MAX_VARS      4096                 /* variables one .env sets */
#define SN_DOTENV_MAX_TOTAL     (4u * 1024u * 1024u) /* bytes of all its values, interpolated */
#define SN_COMPOSE_MAX_VALUE    (64u * 1024u)        /* bytes of one interpolated value */
#define SN_COMPOSE_MAX_NESTING  16                   /* ${A:-${B:-...}} nesting */
#define SN_COMPOSE_MAX_FILES    64                   /* compose files one project reads */
#define SN_COMPOSE_PATH_SEP_MAX 16                   /* bytes of COMPOSE_PATH_SEPARATOR */

/* One variable a .env sets. */
struct sn_dotenv_var {
	char *name;
	char *value; /* NULL: not known to the gate (why says why) */
	char *why;
	size_t line; /* where it is set (the last time) */
};

/* A parsed .env (zero-initialized with sn_dotenv_init: no file, no
 * variables). */
struct sn_dotenv {
	char *name; /* names the file in messages ("dir/.env", "compose.archive[.env]"); NULL: none */
	struct sn_dotenv_var *vars;
	size_t n, cap;
	size_t total; /* bytes of all values */
	struct sn_keyset index;
};

void sn_dotenv_init(struct sn_dotenv *env);
void sn_dotenv_free(struct sn_dotenv *env);

/*
 * Reads a .env (len bytes of data) into env, which must be empty; name
 * (copied) names it in messages.  Rules (docker compose's, strictly):
 * blank lines and lines starting with '#' are skipped; a statement is
 * [export ]NAME=VALUE (NAME of [A-Za-z0-9_.], blanks allowed around '='),
 * VALUE unquoted (to the end of the line; " #" starts a comment; trailing
 * blanks dropped), '...' (literal, may span lines) or "..." (escapes \n,
 * \r, \\, \"; may span lines), then only blanks or a comment.  Unquoted
 * and double-quoted values are interpolated with the variables set
 * before them.  A line holding only NAME takes its value from the
 * runtime's environment: the variable is recorded as not known.  So is
 * one whose value uses a variable that has no value here.  A later
 * statement for the same NAME replaces the earlier one, as in compose.
 * Returns 0, SIGNET_EBADINPUT ("NAME: line N: reason"), SIGNET_ELIMIT
 * (SN_DOTENV_MAX_*), SIGNET_ENOMEM.
 */
int sn_dotenv_parse(struct sn_dotenv *env, const void *data, size_t len, const char *name, struct sn_err *e);

/* The variable NAME, or NULL when the .env does not set it.  Borrowed. */
const struct sn_dotenv_var *sn_dotenv_get(const struct sn_dotenv *env, const char *name);

/*
 * Compose interpolation of s (len bytes) with env's variables: $$, $NAME,
 * ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:?word}, ${NAME?word},
 * ${NAME:+word}, ${NAME+word}, words nested.  *out (caller frees) is the
 * result.  Returns 0; SIGNET_ENOTFOUND when the result depends on what
 * the gate cannot know (a variable with no value in env and no default,
 * a required variable without a value, a variable env marks not known;
 * the message names it and why); SIGNET_EBADINPUT (syntax compose does
 * not accept, or reads differently across versions); SIGNET_ELIMIT
 * (SN_COMPOSE_MAX_VALUE, SN_COMPOSE_MAX_NESTING); SIGNET_ENOMEM.
 * Messages carry no location: the caller adds it.
 */
int sn_compose_interpolate(char **out, const char *s, size_t len, const struct sn_dotenv *env,
                           struct sn_err *e);

/*
 * The path of the file rel (len bytes, as written in COMPOSE_FILE or
 * extends.file) names, relative to dir ("" for the project root, else a
 * normalized relative directory): "." and empty components dropped, ".."
 * applied, as Go's filepath.Clean does.  *out (caller frees) is a
 * normalized relative path ("a/b.yml").  Returns 0, SIGNET_EBADINPUT
 * (empty, absolute, a NUL byte, ".." above the root, or the root itself;
 * the message, without location, says which) or SIGNET_ENOMEM.
 */
int sn_compose_path(char **out, const char *dir, const char *rel, size_t len, struct sn_err *e);

/*
 * The files COMPOSE_FILE in env names, split on COMPOSE_PATH_SEPARATOR
 * (default ":"), each as written: *entries (a NULL-terminated array the
 * caller frees with sn_compose_entries_free) and *n, or *n = 0 and
 * *entries NULL when env does not set COMPOSE_FILE.  Refused
 * (SIGNET_EBADINPUT, naming env's file and line): a COMPOSE_FILE or
 * COMPOSE_PATH_SEPARATOR whose value is not known, an empty separator or
 * entry.  More than SN_COMPOSE_MAX_FILES entries: SIGNET_ELIMIT.
 */
int sn_compose_file_entries(char ***entries, size_t *n, const struct sn_dotenv *env, struct sn_err *e);
void sn_compose_entries_free(char **entries);

/* The names compose looks for when no file is named (COMPOSE_FILE, -f),
 * in its order of preference: compose reads the first base file present
 * and the first override file present. */
extern const char *const sn_compose_base_names[4];
extern const char *const sn_compose_override_names[4];
/* 1 if name (a file name without directory) is one of those, else 0. */
int sn_compose_is_base_name(const char *name);
int sn_compose_is_override_name(const char *name);

/*
 * For a compose file read from path on disk: what `docker compose` run in
 * its directory (without -f) reads with it.  The directory's .env, if it
 * is there (a regular file; a directory is ignored, as compose does), is
 * parsed into env (empty: sn_dotenv_init done here).  Refused, with
 * SIGNET_EBADINPUT naming the other file, because the gate checks only
 * the file it is given:
 *  - .env sets COMPOSE_FILE naming any file other than path;
 *  - path has a default compose name and compose would read another
 *    default file instead (one it prefers) or with it (an override);
 *  - path has an override name and a base compose file is next to it.
 * Returns 0, SIGNET_EBADINPUT, SIGNET_ELIMIT, SIGNET_EIO (the .env cannot
 * be read), SIGNET_ENOMEM; on failure env is left empty.
 */
int sn_compose_dir_load(struct sn_dotenv *env, const char *path, struct sn_err *e);

#endif
