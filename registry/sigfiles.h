/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/sigfiles.h: signature-N files in a local directory, the part
 * that the file:// lookaside (lookaside.c) and the dir: layout
 * (dir_signatures.c) share.  Nothing else includes it.
 */
#ifndef SN_SIGFILES_H
#define SN_SIGFILES_H

#include "registry.h"

/* One store directory. */
struct sn_sigfiles {
	const char *dir;     /* the directory holding the files (a path) */
	const char *loc_dir; /* the same directory as locations name it (a URL or the path) */
	const char *prefix;  /* before "signature-N": "" or "<hex>." */
	const char *what;    /* names a file in messages: "lookaside signature", "signature" */
	const char *store;   /* names the store in messages: "lookaside file:///...", "dir:/x" */
	int file_flags;      /* sn_file_read flags (SN_FILE_NOFOLLOW) */
	int mkdirs;          /* write: create dir and its parents (0755) */
};

/* Reads PREFIXsignature-1, -2, ... up to the first missing one (see
 * sn_lookaside_read for the rules).  *out is written only on success. */
int sn_sigfiles_read(struct sn_sig_list *out, const struct sn_sigfiles *s, struct sn_err *e);

/* Adds blob as the first free PREFIXsignature-N (see sn_lookaside_write);
 * *location = loc_dir + "/" + the file name (caller frees). */
int sn_sigfiles_write(char **location, const struct sn_sigfiles *s, const void *blob, size_t len,
                      struct sn_err *e);

#endif
