/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify/compose_project.c: .env files, compose interpolation and the
 * files a compose project reads (see compose_project.h for the rules and
 * docs/gate.md for why each refusal is there).
 */
#include "verify/compose_project.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const sn_compose_base_names[4] = {
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
};
const char *const sn_compose_override_names[4] = {
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
};

#define SHOW_MAX 120 /* characters of an expression or value quoted in a message */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

/* What a .env accepts in a name (compose also ignores names starting
 * with a digit; they can never be interpolated). */
static int key_char(char c)
{
	return name_char(c) || c == '.';
}

/* A line end at s[i]: "\n" or "\r\n"; its length, or 0. */
static size_t line_end(const char *s, size_t len, size_t i)
{
	if (i < len && s[i] == '\n')
		return 1;
	if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n')
		return 2;
	return 0;
}

/* ---- .env files ----------------------------------------------------- */

void sn_dotenv_init(struct sn_dotenv *env)
{
	memset(env, 0, sizeof(*env));
}

void sn_dotenv_free(struct sn_dotenv *env)
{
	if (env == NULL)
		return;
	for (size_t i = 0; i < env->n; i++) {
		free(env->vars[i].name);
		free(env->vars[i].value);
		free(env->vars[i].why);
	}
	free(env->vars);
	free(env->name);
	sn_keyset_free(&env->index);
	sn_dotenv_init(env);
}

const struct sn_dotenv_var *sn_dotenv_get(const struct sn_dotenv *env, const char *name)
{
	const struct sn_keyent *k;

	if (env == NULL || (k = sn_keyset_find(&env->index, name)) == NULL)
		return NULL;
	return &env->vars[k->val];
}

/* "NAME: line N: reason", SIGNET_EBADINPUT. */
SN_PRINTF(4, 5)
static int env_err(const struct sn_dotenv *env, size_t line, struct sn_err *e, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sn_seterr(e, SIGNET_EBADINPUT, "%s: line %zu: %s", env->name, line, msg);
}

/* c for a message: itself if printable, else its code. */
static const char *show_char(char buf[8], char c)
{
	unsigned char u = (unsigned char)c;

	if (u >= 0x21 && u < 0x7f)
		(void)snprintf(buf, 8, "'%c'", c);
	else
		(void)snprintf(buf, 8, "0x%02x", u);
	return buf;
}

/* Sets name (n bytes) to value (taken over; NULL: not known, why taken
 * over), replacing an earlier statement for it. */
static int set_var(struct sn_dotenv *env, const char *name, size_t n, char *value, char *why, size_t line,
                   struct sn_err *e)
{
	struct sn_dotenv_var *v;
	struct sn_keyent *k;
	char *key = NULL;
	size_t vlen = value != NULL ? strlen(value) : 0;
	int rc = 0;

	if (vlen > SN_DOTENV_MAX_TOTAL - env->total) {
		rc = sn_seterr(e, SIGNET_ELIMIT,
		               "%s: line %zu: the values of the .env are larger than the limit of %u bytes "
		               "(SN_DOTENV_MAX_TOTAL)",
		               env->name, line, SN_DOTENV_MAX_TOTAL);
		goto fail;
	}
	if ((key = sn_strndup(name, n, e)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto fail;
	}
	if ((k = sn_keyset_find(&env->index, key)) != NULL) {
		v = &env->vars[k->val];
		free(key);
		free(v->value);
		free(v->why);
	} else {
		if (env->n == SN_DOTENV_MAX_VARS) {
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "%s: line %zu: more than %d variables (SN_DOTENV_MAX_VARS)", env->name,
			               line, SN_DOTENV_MAX_VARS);
			goto fail;
		}
		if (env->n == env->cap) {
			size_t ncap = env->cap != 0 ? env->cap * 2 : 16;
			struct sn_dotenv_var *nv = realloc(env->vars, ncap * sizeof(*nv));

			if (nv == NULL) {
				rc = sn_enomem(e);
				goto fail;
			}
			env->vars = nv;
			env->cap = ncap;
		}
		if ((rc = sn_keyset_add(&env->index, key, env->n, e)) != 0)
			goto fail;
		v = &env->vars[env->n++];
		v->name = key;
	}
	key = NULL;
	v->value = value;
	v->why = why;
	v->line = line;
	env->total += vlen;
	return 0;
fail:
	free(key);
	free(value);
	free(why);
	return rc;
}

/* A quoted value starting at s[*i] (the quote): its bytes (unescaped) go
 * to val; *i moves past the closing quote, *line over the lines inside. */
static int quoted_value(struct sn_dotenv *env, struct sn_buf *val, const char *s, size_t len, size_t *i,
                        size_t *line, struct sn_err *e)
{
	char q = s[*i], cb[8];
	size_t j = *i + 1, first = *line;
	int last_escape = 0, rc;

	for (; j < len && s[j] != q; j++) {
		char c = s[j];

		if (c == '\\' && q == '\'')
			return env_err(
			    env, *line, e,
			    "a backslash in a single-quoted value: docker compose versions read it "
			    "differently (use double quotes)");
		if (c == '\\') {
			char u;

			if (j + 1 == len) {
				j = len; /* no closing quote */
				break;
			}
			switch (s[j + 1]) {
			case 'n': u = '\n'; break;
			case 'r': u = '\r'; break;
			case '\\': u = '\\'; break;
			case '"': u = '"'; break;
			default:
				return env_err(
				    env, *line, e,
				    "the escape sequence \\%s: only \\n, \\r, \\\\ and \\\" are read "
				    "the same by every docker compose version",
				    s[j + 1] == '\n' ? "(line break)" : show_char(cb, s[j + 1]));
			}
			if ((rc = sn_buf_append(val, &u, 1, e)) != 0)
				return rc;
			j++;
			/* Before the closing quote, \\ and \" fool the scan of
			 * older compose versions, which end a value at the first
			 * quote not preceded by a backslash. */
			last_escape = u == '\\' || u == '"';
			continue;
		}
		if (c == '\r')
			return env_err(env, *line, e, "a carriage return inside a quoted value");
		if (c == '\n')
			(*line)++;
		if ((rc = sn_buf_append(val, &c, 1, e)) != 0)
			return rc;
		last_escape = 0;
	}
	if (j >= len)
		return env_err(env, first, e, "a quoted value without its closing quote");
	if (last_escape)
		return env_err(env, *line, e,
		               "\\\\ or \\\" just before the closing quote: docker compose versions read it "
		               "differently");
	*i = j + 1;
	return 0;
}

/* An unquoted value at s[*i]: to the end of the line, a " #" comment and
 * trailing blanks dropped. */
static int plain_value(struct sn_dotenv *env, struct sn_buf *val, const char *s, size_t len, size_t *i,
                       size_t line, struct sn_err *e)
{
	size_t start = *i, j = start, end;
	char cb[8];

	for (; j < len && line_end(s, len, j) == 0; j++) {
		char c = s[j];

		if (c == '#') {
			if (j > start && s[j - 1] == ' ')
				break;
			return env_err(
			    env, line, e,
			    "a '#' in an unquoted value that does not follow a space: docker compose "
			    "versions differ on whether it starts a comment (quote the value)");
		}
		if (((unsigned char)c < 0x20 && c != '\t') || c == 0x7f)
			return env_err(env, line, e, "a control character (%s) in a value", show_char(cb, c));
	}
	end = j;
	while (end > start && is_blank(s[end - 1]))
		end--;
	*i = j;
	return sn_buf_append(val, s + start, end - start, e);
}

/*
 * The value of a statement at line at, starting at s[*p] (after '=' and
 * blanks): quoted or not, the rest of its line checked, interpolated if
 * unquoted or double-quoted.  *value (the caller's) is the value, or
 * NULL with *why when it depends on what the gate cannot know; *p moves
 * to the end of the statement's last line.
 */
static int statement_value(struct sn_dotenv *env, const char *s, size_t len, size_t *p, size_t *line,
                           size_t at, char **value, char **why, struct sn_err *e)
{
	struct sn_buf val;
	struct sn_err ie = {0};
	int interpolate = 1, rc;

	sn_buf_init(&val, SN_COMPOSE_MAX_VALUE, "a .env value (SN_COMPOSE_MAX_VALUE)");
	if (*p < len && (s[*p] == '\'' || s[*p] == '"')) {
		interpolate = s[*p] == '"';
		if ((rc = quoted_value(env, &val, s, len, p, line, e)) != 0)
			goto value_err;
		while (*p < len && is_blank(s[*p]))
			(*p)++;
		if (*p < len && s[*p] == '#') {
			while (*p < len && s[*p] != '\n')
				(*p)++;
		} else if (*p < len && line_end(s, len, *p) == 0) {
			rc = env_err(env, *line, e,
			             "text after the closing quote (a comment starts with '#')");
			goto out;
		}
	} else if ((rc = plain_value(env, &val, s, len, p, at, e)) != 0) {
		goto value_err;
	}
	if ((rc = sn_buf_append(&val, "", 0, e)) != 0)
		goto out;
	if (!interpolate || memchr(val.data, '$', val.len) == NULL) {
		*value = (char *)sn_buf_steal(&val, NULL);
		goto out;
	}
	rc = sn_compose_interpolate(value, (const char *)val.data, val.len, env, &ie);
	if (rc == SIGNET_ENOTFOUND) {
		/* Known only at run time: refused where it is used. */
		*why = sn_aprintf(e, "is set at line %zu of %s from a value the gate cannot know (%s)", at,
		                  env->name, ie.msg);
		rc = *why == NULL ? SIGNET_ENOMEM : 0;
	} else if (rc == SIGNET_ENOMEM) {
		rc = sn_enomem(e);
	} else if (rc != 0) {
		rc = sn_seterr(e, rc, "%s: line %zu: %s", env->name, at, ie.msg);
	}
	goto out;
value_err:
	if (rc == SIGNET_ELIMIT) /* the value's buffer: say where */
		(void)sn_errctx(e, "%s: line %zu: ", env->name, at);
out:
	sn_buf_free(&val);
	return rc;
}

/* The statement at s[*i] (not blank, not a comment): [export ]NAME=VALUE,
 * or NAME alone. */
static int statement(struct sn_dotenv *env, const char *s, size_t len, size_t *i, size_t *line,
                     struct sn_err *e)
{
	size_t p = *i, ks, kn, at = *line;
	char *value = NULL, *why = NULL, cb[8];
	int rc;

	if (len - p >= 6 && memcmp(s + p, "export", 6) == 0) {
		if (p + 6 == len || !is_blank(s[p + 6]))
			return env_err(env, at, e,
			               "a name starting with \"export\": docker compose reads it as the "
			               "export prefix");
		for (p += 6; p < len && is_blank(s[p]); p++)
			;
	}
	for (ks = p; p < len && key_char(s[p]); p++)
		;
	kn = p - ks;
	if (kn == 0)
		return env_err(env, at, e, "expected NAME=VALUE, found %s",
		               p < len && line_end(s, len, p) == 0 ? show_char(cb, s[p])
		                                                   : "the end of the line");
	while (p < len && is_blank(s[p]))
		p++;
	if (p == len || line_end(s, len, p) != 0) {
		/* NAME alone: compose takes it from its own environment. */
		why = sn_aprintf(e,
		                 "is named without a value at line %zu of %s: docker compose takes it from "
		                 "the runtime's environment, which the gate does not know",
		                 at, env->name);
		*i = p;
		return why == NULL ? SIGNET_ENOMEM : set_var(env, s + ks, kn, NULL, why, at, e);
	}
	if (s[p] == ':')
		return env_err(env, at, e, "%.*s: a value after ':' (the YAML style): write %.*s=VALUE",
		               (int)(kn > SHOW_MAX ? SHOW_MAX : kn), s + ks,
		               (int)(kn > SHOW_MAX ? SHOW_MAX : kn), s + ks);
	if (s[p] != '=')
		return env_err(env, at, e,
		               "unexpected %s after the name %.*s (names are made of A-Z a-z 0-9 _ .)",
		               show_char(cb, s[p]), (int)(kn > SHOW_MAX ? SHOW_MAX : kn), s + ks);
	for (p++; p < len && is_blank(s[p]); p++)
		;
	if ((rc = statement_value(env, s, len, &p, line, at, &value, &why, e)) != 0)
		return rc;
	if (value == NULL && why == NULL)
		return sn_enomem(e);
	*i = p;
	return set_var(env, s + ks, kn, value, why, at, e);
}

int sn_dotenv_parse(struct sn_dotenv *env, const void *data, size_t len, const char *name, struct sn_err *e)
{
	const char *s = data, *nul;
	size_t i = 0, line = 1;
	int rc;

	if (env == NULL || (data == NULL && len != 0) || name == NULL || env->n != 0 || env->name != NULL)
		return sn_seterr(e, SIGNET_EINVAL, "sn_dotenv_parse: invalid argument");
	if (len > SN_DOTENV_MAX_SIZE)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "%s: larger than the limit of %u bytes (SN_DOTENV_MAX_SIZE)", name,
		                 SN_DOTENV_MAX_SIZE);
	if ((env->name = sn_strdup(name, e)) == NULL)
		return SIGNET_ENOMEM;
	if (len != 0 && (nul = memchr(s, '\0', len)) != NULL) {
		for (const char *p = s; p < nul; p++)
			if (*p == '\n')
				line++;
		rc = env_err(env, line, e, "a NUL byte");
		goto fail;
	}
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3; /* a UTF-8 byte order mark, which compose skips */
	while (i < len) {
		size_t n;

		if (is_blank(s[i])) {
			i++;
		} else if ((n = line_end(s, len, i)) != 0) {
			i += n;
			line++;
		} else if (s[i] == '#') {
			while (i < len && s[i] != '\n')
				i++;
		} else if ((rc = statement(env, s, len, &i, &line, e)) != 0) {
			goto fail;
		}
	}
	return 0;
fail:
	sn_dotenv_free(env);
	return rc;
}

/* ---- interpolation -------------------------------------------------- */

struct interp {
	const struct sn_dotenv *env;
	struct sn_buf out;
	struct sn_err *e;
};

static int interp_run(struct interp *ip, const char *s, size_t len, unsigned depth, int use);

/* Where a variable without a value was looked for, for messages:
 * where_in(env) where_name(env) is "in NAME", or "(no .env)". */
static const char *where_in(const struct sn_dotenv *env)
{
	return env != NULL && env->name != NULL ? "in " : "";
}

static const char *where_name(const struct sn_dotenv *env)
{
	return env != NULL && env->name != NULL ? env->name : "(no .env)";
}

#define SHOWN(n) ((int)((n) > SHOW_MAX ? SHOW_MAX : (n)))

/*
 * One substitution: expr (the whole "$NAME" or "${...}", for messages)
 * of the variable name (n bytes) with op ('\0' none, '-', '?', '+'),
 * colon set for ":-" ":?" ":+", and word (wn bytes).  With use unset,
 * only the word's syntax is checked (the branch compose does not take).
 */
static int substitute(struct interp *ip, const char *name, size_t n, char op, int colon, const char *word,
                      size_t wn, const char *expr, size_t en, unsigned depth, int use)
{
	const struct sn_dotenv_var *v;
	const char *val;
	char *key;
	int set, full, rc;

	if (!use)
		return op != '\0' ? interp_run(ip, word, wn, depth + 1, 0) : 0;
	if ((key = sn_strndup(name, n, ip->e)) == NULL)
		return SIGNET_ENOMEM;
	v = sn_dotenv_get(ip->env, key);
	free(key);
	if (v != NULL && v->value == NULL)
		return sn_seterr(ip->e, SIGNET_ENOTFOUND, "%.*s: %.*s %s", SHOWN(en), expr, SHOWN(n), name,
		                 v->why);
	set = v != NULL;
	val = set ? v->value : "";
	full = set && val[0] != '\0';
	switch (op) {
	case '\0':
		if (!set)
			return sn_seterr(
			    ip->e, SIGNET_ENOTFOUND,
			    "%.*s: %.*s is not set %s%s and has no default: the runtime's environment "
			    "is not known to the gate; set it in .env, give a default (${%.*s:-...}), "
			    "or write the value in full",
			    SHOWN(en), expr, SHOWN(n), name, where_in(ip->env), where_name(ip->env), SHOWN(n),
			    name);
		break;
	case '-':
		if (colon ? !full : !set)
			return interp_run(ip, word, wn, depth + 1, 1);
		break;
	case '?':
		if (colon ? !full : !set)
			return sn_seterr(
			    ip->e, SIGNET_ENOTFOUND,
			    "%.*s: %.*s is required and %s %s%s: \"%.*s\"; the runtime's environment "
			    "is not known to the gate",
			    SHOWN(en), expr, SHOWN(n), name, set ? "empty" : "not set", where_in(ip->env),
			    where_name(ip->env), SHOWN(wn), word);
		break;
	default: /* '+' */
		if (!set)
			return sn_seterr(
			    ip->e, SIGNET_ENOTFOUND,
			    "%.*s: %.*s is not set %s%s: the runtime's environment is not known to the "
			    "gate; set it in .env, or write the value in full",
			    SHOWN(en), expr, SHOWN(n), name, where_in(ip->env), where_name(ip->env));
		if (colon ? full : set)
			return interp_run(ip, word, wn, depth + 1, 1);
		val = "";
		break;
	}
	if ((rc = sn_buf_append_str(&ip->out, val, ip->e)) != 0)
		return rc;
	return op != '\0' ? interp_run(ip, word, wn, depth + 1, 0) : 0;
}

/* The inside of "${...}" (n bytes); expr is the whole, for messages. */
static int braced(struct interp *ip, const char *in, size_t n, const char *expr, size_t en, unsigned depth,
                  int use)
{
	static const char supported[] =
	    "compose reads ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, "
	    "${VAR:+alternative}, ${VAR+alternative}";
	size_t k, p;
	int colon;
	char op;

	if (n == 0 || !name_start(in[0]))
		return sn_seterr(ip->e, SIGNET_EBADINPUT, "%.*s: ${ is not followed by a variable name (%s)",
		                 SHOWN(en), expr, supported);
	for (k = 1; k < n && name_char(in[k]); k++)
		;
	if (k == n)
		return substitute(ip, in, k, '\0', 0, NULL, 0, expr, en, depth, use);
	colon = in[k] == ':';
	p = k + (size_t)colon;
	if (p >= n || (in[p] != '-' && in[p] != '?' && in[p] != '+'))
		return sn_seterr(ip->e, SIGNET_EBADINPUT, "%.*s: not an interpolation compose supports (%s)",
		                 SHOWN(en), expr, supported);
	op = in[p];
	/* Versions of compose split "${A?x-y}" at the first separator they
	 * try, in orders of their own: only the operator's own character
	 * may appear again in its word. */
	for (size_t q = p + 1; q < n; q++) {
		char c = in[q];

		if (((c == '-' || c == '?' || c == '+') && c != op) ||
		    (!colon && c == ':' && q + 1 < n && in[q + 1] == op))
			return sn_seterr(ip->e, SIGNET_EBADINPUT,
			                 "%.*s: the word after the operator holds another operator ('%s%c'): "
			                 "docker compose versions split it differently",
			                 SHOWN(en), expr, c == ':' ? ":" : "", c == ':' ? op : c);
	}
	return substitute(ip, in, k, op, colon, in + p + 1, n - p - 1, expr, en, depth, use);
}

static int interp_run(struct interp *ip, const char *s, size_t len, unsigned depth, int use)
{
	size_t i = 0, j, open;
	char cb[8];
	int rc;

	if (depth > SN_COMPOSE_MAX_NESTING)
		return sn_seterr(ip->e, SIGNET_ELIMIT,
		                 "interpolation nested deeper than %d levels (SN_COMPOSE_MAX_NESTING)",
		                 SN_COMPOSE_MAX_NESTING);
	while (i < len) {
		if (s[i] != '$') {
			for (j = i; j < len && s[j] != '$'; j++)
				;
			if (use && (rc = sn_buf_append(&ip->out, s + i, j - i, ip->e)) != 0)
				return rc;
			i = j;
			continue;
		}
		if (i + 1 == len)
			return sn_seterr(ip->e, SIGNET_EBADINPUT,
			                 "a '$' at the end of \"%.*s\": write $$ for a dollar sign",
			                 SHOWN(len), s);
		if (s[i + 1] == '$') {
			if (use && (rc = sn_buf_append(&ip->out, "$", 1, ip->e)) != 0)
				return rc;
			i += 2;
			continue;
		}
		if (name_start(s[i + 1])) {
			for (j = i + 2; j < len && name_char(s[j]); j++)
				;
			if ((rc = substitute(ip, s + i + 1, j - i - 1, '\0', 0, NULL, 0, s + i, j - i, depth,
			                     use)) != 0)
				return rc;
			i = j;
			continue;
		}
		if (s[i + 1] != '{')
			return sn_seterr(
			    ip->e, SIGNET_EBADINPUT,
			    "'$' followed by %s in \"%.*s\": not a variable; docker compose versions "
			    "read it differently (write $$ for a dollar sign)",
			    show_char(cb, s[i + 1]), SHOWN(len), s);
		/* To the brace that closes it, counting nested "${" as compose
		 * does. */
		for (j = i + 2, open = 1; j < len; j++) {
			if (s[j] == '$' && j + 1 < len && s[j + 1] == '{') {
				open++;
				j++;
			} else if (s[j] == '}' && --open == 0) {
				break;
			}
		}
		if (j == len)
			return sn_seterr(ip->e, SIGNET_EBADINPUT, "\"%.*s\": a ${ without its closing }",
			                 SHOWN(len - i), s + i);
		if ((rc = braced(ip, s + i + 2, j - i - 2, s + i, j + 1 - i, depth, use)) != 0)
			return rc;
		i = j + 1;
	}
	return 0;
}

int sn_compose_interpolate(char **out, const char *s, size_t len, const struct sn_dotenv *env,
                           struct sn_err *e)
{
	struct interp ip = {.env = env, .e = e};
	int rc;

	if (out == NULL || (s == NULL && len != 0))
		return sn_seterr(e, SIGNET_EINVAL, "sn_compose_interpolate: NULL argument");
	sn_buf_init(&ip.out, SN_COMPOSE_MAX_VALUE, "an interpolated value (SN_COMPOSE_MAX_VALUE)");
	if ((rc = interp_run(&ip, s, len, 0, 1)) == 0)
		rc = sn_buf_append(&ip.out, "", 0, e);
	if (rc != 0) {
		sn_buf_free(&ip.out);
		return rc;
	}
	*out = (char *)sn_buf_steal(&ip.out, NULL);
	return 0;
}

/* ---- paths and file names ------------------------------------------- */

/* Appends the components of p (n bytes) to the path in buf (*o bytes). */
static int path_push(char *buf, size_t *o, const char *p, size_t n, const char *rel, size_t rlen,
                     struct sn_err *e)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && p[j] != '/')
			j++;
		if (j - i == 2 && p[i] == '.' && p[i + 1] == '.') {
			if (*o == 0)
				return sn_seterr(
				    e, SIGNET_EBADINPUT,
				    "\"%.*s\" leaves the project directory (..): the gate checks only "
				    "the files in it",
				    SHOWN(rlen), rel);
			while (*o > 0 && buf[*o - 1] != '/')
				(*o)--;
			if (*o > 0)
				(*o)--;
		} else if (j > i && !(j - i == 1 && p[i] == '.')) {
			if (*o != 0)
				buf[(*o)++] = '/';
			memcpy(buf + *o, p + i, j - i);
			*o += j - i;
		}
		i = j + 1;
	}
	return 0;
}

int sn_compose_path(char **out, const char *dir, const char *rel, size_t len, struct sn_err *e)
{
	size_t dl = strlen(dir), o = 0;
	char *buf;
	int rc;

	if (len == 0)
		return sn_seterr(e, SIGNET_EBADINPUT, "an empty file name");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)rel[i] < 0x20 || rel[i] == 0x7f)
			return sn_seterr(e, SIGNET_EBADINPUT, "a file name with a control character");
	if (rel[0] == '/')
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "\"%.*s\" is an absolute path: the gate checks only the files in the project", SHOWN(len),
		    rel);
	if (len > SIZE_MAX - dl - 2 || (buf = malloc(dl + len + 2)) == NULL)
		return sn_enomem(e);
	if ((rc = path_push(buf, &o, dir, dl, rel, len, e)) != 0 ||
	    (rc = path_push(buf, &o, rel, len, rel, len, e)) != 0) {
		free(buf);
		return rc;
	}
	if (o == 0) {
		free(buf);
		return sn_seterr(e, SIGNET_EBADINPUT, "\"%.*s\" names the project directory, not a file",
		                 SHOWN(len), rel);
	}
	buf[o] = '\0';
	*out = buf;
	return 0;
}

void sn_compose_entries_free(char **entries)
{
	if (entries == NULL)
		return;
	for (size_t i = 0; entries[i] != NULL; i++)
		free(entries[i]);
	free(entries);
}

int sn_compose_file_entries(char ***entries, size_t *n, const struct sn_dotenv *env, struct sn_err *e)
{
	const struct sn_dotenv_var *f = sn_dotenv_get(env, "COMPOSE_FILE"),
	                           *sv = sn_dotenv_get(env, "COMPOSE_PATH_SEPARATOR");
	const char *sep = ":", *p;
	char **list = NULL;
	size_t count = 0, sl;

	*entries = NULL;
	*n = 0;
	if (f == NULL)
		return 0;
	if (f->value == NULL)
		return sn_seterr(
		    e, SIGNET_EBADINPUT,
		    "%s: COMPOSE_FILE %s: the gate cannot tell which compose files the runtime reads",
		    env->name, f->why);
	if (sv != NULL) {
		if (sv->value == NULL)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: COMPOSE_PATH_SEPARATOR %s: the gate cannot tell how COMPOSE_FILE is "
			    "split",
			    env->name, sv->why);
		if (sv->value[0] == '\0' || strlen(sv->value) > SN_COMPOSE_PATH_SEP_MAX)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: line %zu: COMPOSE_PATH_SEPARATOR is %s: docker compose versions "
			    "split COMPOSE_FILE differently",
			    env->name, sv->line, sv->value[0] == '\0' ? "empty" : "too long");
		sep = sv->value;
	}
	sl = strlen(sep);
	for (p = f->value;; p += sl) {
		const char *q = strstr(p, sep);
		size_t len = q != NULL ? (size_t)(q - p) : strlen(p);
		char **nl;

		if (len == 0) {
			sn_compose_entries_free(list);
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s: line %zu: COMPOSE_FILE has an empty entry (\"%.*s\")",
			                 env->name, f->line, SHOWN(strlen(f->value)), f->value);
		}
		if (count == SN_COMPOSE_MAX_FILES) {
			sn_compose_entries_free(list);
			return sn_seterr(
			    e, SIGNET_ELIMIT,
			    "%s: line %zu: COMPOSE_FILE names more than %d files (SN_COMPOSE_MAX_FILES)",
			    env->name, f->line, SN_COMPOSE_MAX_FILES);
		}
		if ((nl = realloc(list, (count + 2) * sizeof(*nl))) == NULL) {
			sn_compose_entries_free(list);
			return sn_enomem(e);
		}
		list = nl;
		list[count + 1] = NULL;
		if ((list[count] = sn_strndup(p, len, e)) == NULL) {
			sn_compose_entries_free(list);
			return SIGNET_ENOMEM;
		}
		count++;
		if (q == NULL)
			break;
		p = q;
	}
	*entries = list;
	*n = count;
	return 0;
}

int sn_compose_is_base_name(const char *name)
{
	for (size_t i = 0; i < 4; i++)
		if (strcmp(name, sn_compose_base_names[i]) == 0)
			return 1;
	return 0;
}

int sn_compose_is_override_name(const char *name)
{
	for (size_t i = 0; i < 4; i++)
		if (strcmp(name, sn_compose_override_names[i]) == 0)
			return 1;
	return 0;
}

/* ---- a compose file on disk ----------------------------------------- */

/* Does dir/name exist (as compose's os.Stat sees it)?  1, 0, or -1 with
 * the error recorded. */
static int dir_has(const char *dir, const char *name, struct sn_err *e)
{
	struct stat st;
	char *p = sn_aprintf(e, "%s/%s", dir, name);
	int r;

	if (p == NULL)
		return -1;
	if (stat(p, &st) == 0) {
		r = 1;
	} else if (errno == ENOENT || errno == ENOTDIR) {
		r = 0;
	} else {
		(void)sn_seterr(e, SIGNET_EIO, "%s: %s", p, strerror(errno));
		r = -1;
	}
	free(p);
	return r;
}

static const char refuse_hint[] =
    "the gate checks only the file it is given: merge the files into one, or gate them together as an "
    "HPCR compose archive";

/* COMPOSE_FILE in the directory's .env: it must name path and nothing
 * else. */
static int dir_compose_file(const struct sn_dotenv *env, const struct sn_dotenv_var *cf, const char *dir,
                            const char *path, struct sn_err *e)
{
	char **entries = NULL, *self = NULL;
	size_t n = 0;
	int rc;

	if ((rc = sn_compose_file_entries(&entries, &n, env, e)) != 0 || n == 0)
		return rc;
	if ((self = realpath(path, NULL)) == NULL) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: cannot resolve its path: %s", path, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *f = entries[i];
		char *full = f[0] == '/' ? sn_strdup(f, e) : sn_aprintf(e, "%s/%s", dir, f), *real;

		if (full == NULL) {
			rc = SIGNET_ENOMEM;
			break;
		}
		real = realpath(full, NULL);
		if (real == NULL || strcmp(real, self) != 0)
			rc = sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "%s: line %zu: COMPOSE_FILE names %.*s%s: docker compose run in %s reads "
			    "it%s, and %s",
			    env->name, cf->line, SHOWN(strlen(f)), f, real == NULL ? " (not there)" : "", dir,
			    real == NULL ? "" : " rather than (or with) the file gated", refuse_hint);
		free(real);
		free(full);
	}
out:
	free(self);
	sn_compose_entries_free(entries);
	return rc;
}

/* The first of names present in dir, looking no further than the name
 * stop (NULL: all of them): *found is its index, or -1.  Returns 0,
 * SIGNET_EIO or SIGNET_ENOMEM. */
static int first_present(int *found, const char *dir, const char *const names[4], const char *stop,
                         struct sn_err *e)
{
	*found = -1;
	for (int i = 0; i < 4 && (stop == NULL || strcmp(names[i], stop) != 0); i++) {
		int r = dir_has(dir, names[i], e);

		if (r < 0)
			return e != NULL ? e->code : SIGNET_EIO;
		if (r) {
			*found = i;
			return 0;
		}
	}
	return 0;
}

/* The default file names next to a compose file named base in dir. */
static int dir_defaults(const char *dir, const char *base, struct sn_err *e)
{
	int i, rc;

	if (sn_compose_is_base_name(base)) {
		if ((rc = first_present(&i, dir, sn_compose_base_names, base, e)) != 0)
			return rc;
		if (i >= 0)
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "%s/%s is next to it, and docker compose run in %s reads that file "
			                 "rather than this one; %s",
			                 dir, sn_compose_base_names[i], dir, refuse_hint);
		if ((rc = first_present(&i, dir, sn_compose_override_names, NULL, e)) != 0)
			return rc;
		if (i >= 0)
			return sn_seterr(
			    e, SIGNET_EBADINPUT,
			    "the override file %s/%s is next to it, and docker compose run in %s "
			    "reads it too; %s",
			    dir, sn_compose_override_names[i], dir, refuse_hint);
	} else if (sn_compose_is_override_name(base)) {
		if ((rc = first_present(&i, dir, sn_compose_base_names, NULL, e)) != 0)
			return rc;
		if (i >= 0)
			return sn_seterr(e, SIGNET_EBADINPUT,
			                 "an override file: docker compose run in %s reads it with %s/%s; %s",
			                 dir, dir, sn_compose_base_names[i], refuse_hint);
	}
	return 0;
}

int sn_compose_dir_load(struct sn_dotenv *env, const char *path, struct sn_err *e)
{
	const struct sn_dotenv_var *cf;
	const char *slash = strrchr(path, '/'), *base;
	char *dir = NULL, *env_path = NULL;
	struct sn_buf b;
	struct stat st;
	int rc = 0;

	sn_dotenv_init(env);
	memset(&b, 0, sizeof(b));
	if (slash == NULL) {
		dir = sn_strdup(".", e);
		base = path;
	} else {
		dir = slash == path ? sn_strdup("/", e) : sn_strndup(path, (size_t)(slash - path), e);
		base = slash + 1;
	}
	if (dir == NULL || (env_path = sn_aprintf(e, "%s/.env", dir)) == NULL) {
		rc = SIGNET_ENOMEM;
		goto out;
	}
	/* compose reads .env when it is there and not a directory */
	if (stat(env_path, &st) != 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			rc = sn_seterr(e, SIGNET_EIO, "%s: %s", env_path, strerror(errno));
			goto out;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		if ((rc = sn_file_read(&b, env_path, SN_DOTENV_MAX_SIZE, "compose .env (SN_DOTENV_MAX_SIZE)",
		                       0, e)) != 0 ||
		    (rc = sn_dotenv_parse(env, b.data, b.len, env_path, e)) != 0)
			goto out;
	}
	if ((cf = sn_dotenv_get(env, "COMPOSE_FILE")) != NULL)
		rc = dir_compose_file(env, cf, dir, path, e);
	else
		rc = dir_defaults(dir, base, e);
out:
	if (rc != 0)
		sn_dotenv_free(env);
	sn_buf_free(&b);
	free(env_path);
	free(dir);
	return rc;
}
