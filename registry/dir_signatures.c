/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/dir_signatures.c: signatures in a dir: layout, named as
 * containers/image's directory transport does (signaturePath):
 * DIR/signature-N for the top manifest and DIR/<hex>.signature-N for an
 * instance of a list, hex being the instance digest's encoded part
 * (without "sha256:").  N counts from 1.  The rules are those of the
 * file:// lookaside (sigfiles.c), except that no symbolic link is followed
 * (a dir: copy may come from anywhere) and the directory is not created.
 */
#include "sigfiles.h"

#include <stdlib.h>
#include <string.h>

/* prefix "<hex>." for an instance (validated), "" for the top manifest;
 * store names the layout in messages. */
static int dir_store(struct sn_sigfiles *s, char **prefix, char **store, const char *dir,
                     const char *instance_digest, struct sn_err *e)
{
	int rc;

	*prefix = *store = NULL;
	if (dir == NULL || dir[0] == '\0')
		return sn_seterr(e, SIGNET_EINVAL, "dir: signatures: no directory given");
	if (instance_digest != NULL) {
		/* validated: the hex part becomes a file name (no "../") */
		if ((rc = sn_digest_validate(instance_digest, e)) != 0) {
			sn_errctx(e, "dir:%.300s: instance: ", dir);
			return rc;
		}
		if ((*prefix = sn_aprintf(e, "%s.", strchr(instance_digest, ':') + 1)) == NULL)
			return SIGNET_ENOMEM;
		*store = sn_aprintf(e, "dir:%s (instance %s)", dir, instance_digest);
	} else {
		*store = sn_aprintf(e, "dir:%s", dir);
	}
	if (*store == NULL)
		return SIGNET_ENOMEM;
	memset(s, 0, sizeof(*s));
	s->dir = dir;
	s->loc_dir = dir;
	s->prefix = *prefix != NULL ? *prefix : "";
	s->what = "signature";
	s->store = *store;
	s->file_flags = SN_FILE_NOFOLLOW;
	s->mkdirs = 0;
	return 0;
}

int sn_dir_sigs_read(struct sn_sig_list *out, const char *dir, const char *instance_digest, struct sn_err *e)
{
	char *prefix, *store;
	struct sn_sigfiles s;
	int rc;

	if (out == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "dir: signatures: missing argument");
	if ((rc = dir_store(&s, &prefix, &store, dir, instance_digest, e)) == 0)
		rc = sn_sigfiles_read(out, &s, e);
	free(prefix);
	free(store);
	return rc;
}

int sn_dir_sigs_write(char **location, const char *dir, const char *instance_digest, const void *blob,
                      size_t len, struct sn_err *e)
{
	char *prefix, *store;
	struct sn_sigfiles s;
	int rc;

	if (location == NULL)
		return sn_seterr(e, SIGNET_EINVAL, "dir: signatures: missing argument");
	if ((rc = dir_store(&s, &prefix, &store, dir, instance_digest, e)) == 0)
		rc = sn_sigfiles_write(location, &s, blob, len, e);
	free(prefix);
	free(store);
	return rc;
}
