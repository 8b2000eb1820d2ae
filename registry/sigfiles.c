/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry/sigfiles.c: signature-N files in a local directory, for the
 * file:// lookaside and the dir: layout.
 *
 * Reading stops at the first name that does not exist (ENOENT, also for a
 * missing directory); anything else where a signature should be (a
 * directory, a FIFO, a symbolic link when they are refused, a path
 * component that is a file, a read error, a file over the size limit)
 * fails the whole read, so that a damaged store is never taken for an
 * unsigned image.  128 signatures are allowed: signature-129 existing is an
 * error (containers/image already refuses when it has read 128, without
 * looking at the 129th).
 *
 * Writing appends and never replaces, unlike containers/image, whose
 * putSignaturesToLookaside and dir destination write the whole list as
 * signature-1..N with plain overwrites (and delete what follows), so that
 * two signers racing lose one another's signatures.  Here the blob goes to
 * a private temporary file in the same directory, is synced, then
 * link()ed to the first free name: link() fails with EEXIST instead of
 * replacing, so a concurrent writer that took the name meanwhile makes us
 * move on to the next one, and a reader never sees a half-written
 * signature.  The first free name is the first gap, so that the new
 * signature is visible to readers (who stop at the first gap).
 */
#include "sigfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIGFILE_MODE 0644
#define SIGDIR_MODE  0755

void sn_sig_list_free(struct sn_sig_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].data);
		free(l->items[i].location);
	}
	free(l->items);
	l->items = NULL;
	l->n = 0;
	l->bytes = 0;
}

size_t sn_sig_list_room(const struct sn_sig_list *l)
{
	return l->bytes < l->max_bytes ? l->max_bytes - l->bytes : 0;
}

size_t sn_sig_list_next_max(const struct sn_sig_list *l)
{
	size_t room = sn_sig_list_room(l);

	return room >= SIGNET_MAX_SIGNATURE_SIZE ? SIGNET_MAX_SIGNATURE_SIZE : room > 0 ? room : 1;
}

int sn_sig_list_full(const struct sn_sig_list *l, const char *store, struct sn_err *e)
{
	return sn_seterr(
	    e, SIGNET_ELIMIT,
	    "%s: the signatures of this image come to more than %zu bytes in total "
	    "(SIGNET_MAX_SIGNATURES_TOTAL_SIZE, %u bytes, counts every signature read for the image)",
	    store, l->max_bytes, SIGNET_MAX_SIGNATURES_TOTAL_SIZE);
}

int sn_sig_list_add(struct sn_sig_list *l, unsigned char *data, size_t len, char *location, const char *store,
                    struct sn_err *e)
{
	struct sn_sig_blob *items;
	int rc;

	if (len > sn_sig_list_room(l)) {
		rc = sn_sig_list_full(l, store, e);
		goto fail;
	}
	if ((items = realloc(l->items, (l->n + 1) * sizeof(*items))) == NULL) {
		rc = sn_enomem(e);
		goto fail;
	}
	l->items = items;
	items[l->n] = (struct sn_sig_blob){data, len, location};
	l->n++;
	l->bytes += len;
	return 0;
fail:
	free(data);
	free(location);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

/* One file: *found = 1 with out filled, or *found = 0 when it does not
 * exist; any other outcome is an error. */
static int read_one(struct sn_buf *out, int *found, const char *path, const char *loc,
                    const struct sn_sigfiles *s, const struct sn_sig_list *l, struct sn_err *e)
{
	size_t max = sn_sig_list_next_max(l);
	struct sn_err fe = {0, ""};
	struct stat st;
	int rc;

	/* Never read more than the list may still hold. */
	rc = sn_file_read(out, path, max, s->what, s->file_flags, &fe);
	if (rc == 0) {
		*found = 1;
		return 0;
	}
	if (rc == SIGNET_ELIMIT && max < SIGNET_MAX_SIGNATURE_SIZE)
		return sn_sig_list_full(l, s->store, e);
	if (rc == SIGNET_ELIMIT)
		return sn_seterr(e, SIGNET_ELIMIT,
		                 "%s %s: larger than the limit of %u bytes (SIGNET_MAX_SIGNATURE_SIZE)",
		                 s->what, loc, SIGNET_MAX_SIGNATURE_SIZE);
	if (rc != SIGNET_ENOTFOUND)
		return sn_seterr(e, rc, "%s", fe.msg);
	/* sn_file_read says "not found" for ENOENT and ENOTDIR alike; only
	 * the first is the end of the list.  (A name that appeared since the
	 * open is also taken as missing: it was.) */
	if (lstat(path, &st) != 0 && errno != ENOENT)
		return sn_seterr(e, SIGNET_EIO, "%s %s: %s", s->what, loc, strerror(errno));
	*found = 0;
	return 0;
}

int sn_sigfiles_read(struct sn_sig_list *out, const struct sn_sigfiles *s, struct sn_err *e)
{
	struct sn_sig_list l = {NULL, 0, 0, out->max_bytes};
	char *path = NULL, *loc = NULL;
	unsigned char *data;
	struct sn_buf b;
	int rc = 0, found;
	size_t len;

	for (unsigned n = 1;; n++) {
		free(path);
		free(loc);
		loc = NULL;
		if ((path = sn_aprintf(e, "%s/%ssignature-%u", s->dir, s->prefix, n)) == NULL ||
		    (loc = sn_aprintf(e, "%s/%ssignature-%u", s->loc_dir, s->prefix, n)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		if ((rc = read_one(&b, &found, path, loc, s, &l, e)) != 0)
			goto out;
		if (!found)
			break;
		if (n > SIGNET_MAX_LOOKASIDE_SIGNATURES) {
			sn_buf_free(&b);
			rc = sn_seterr(e, SIGNET_ELIMIT,
			               "%s: more than %d signatures (SIGNET_MAX_LOOKASIDE_SIGNATURES)",
			               s->store, SIGNET_MAX_LOOKASIDE_SIGNATURES);
			goto out;
		}
		data = sn_buf_steal(&b, &len);
		rc = sn_sig_list_add(&l, data, len, loc, s->store, e);
		loc = NULL;
		if (rc != 0)
			goto out;
	}
	*out = l;
	l.items = NULL;
	l.n = 0;
out:
	sn_sig_list_free(&l);
	free(path);
	free(loc);
	return rc;
}

/* ---- writing ---------------------------------------------------------- */

/* mkdir -p dir (0755); existing directories are fine. */
static int mkdir_p(const char *dir, struct sn_err *e)
{
	char *p = sn_strdup(dir, e);
	int rc = 0;

	if (p == NULL)
		return SIGNET_ENOMEM;
	for (char *q = p + 1;; q++) {
		char c = *q;

		if (c != '/' && c != '\0')
			continue;
		*q = '\0';
		if (mkdir(p, SIGDIR_MODE) != 0 && errno != EEXIST) {
			rc = sn_seterr(e, SIGNET_EIO, "cannot create directory %s: %s", p, strerror(errno));
			break;
		}
		*q = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

/* Makes the new name durable. */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int sn_sigfiles_write(char **location, const struct sn_sigfiles *s, const void *blob, size_t len,
                      struct sn_err *e)
{
	char *tmp = NULL, *path = NULL, *name = NULL;
	int fd = -1, rc = 0, have_tmp = 0, linked = 0;
	unsigned n;

	if (location == NULL || (blob == NULL && len > 0))
		return sn_seterr(e, SIGNET_EINVAL, "%s: missing argument", s->store);
	if (len == 0)
		return sn_seterr(e, SIGNET_EINVAL, "%s: refusing to store an empty signature", s->store);
	if (len > SIGNET_MAX_SIGNATURE_SIZE)
		return sn_seterr(
		    e, SIGNET_ELIMIT,
		    "%s: a signature of %zu bytes is over the limit of %u bytes (SIGNET_MAX_SIGNATURE_SIZE)",
		    s->store, len, SIGNET_MAX_SIGNATURE_SIZE);
	if (s->mkdirs && (rc = mkdir_p(s->dir, e)) != 0) {
		sn_errctx(e, "%s: ", s->store);
		return rc;
	}
	if ((tmp = sn_aprintf(e, "%s/.signet-tmp-XXXXXX", s->dir)) == NULL)
		return SIGNET_ENOMEM;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		if (errno == ENOENT && !s->mkdirs)
			rc = sn_seterr(e, SIGNET_ENOTFOUND, "%s: directory %s does not exist", s->store,
			               s->dir);
		else
			rc = sn_seterr(e, SIGNET_EIO, "%s: cannot create a file in %s: %s", s->store, s->dir,
			               strerror(errno));
		goto out;
	}
	have_tmp = 1;
	if (fchmod(fd, SIGFILE_MODE) != 0 || sn_write_all(fd, blob, len) != 0 || fsync(fd) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: writing %s: %s", s->store, tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = sn_seterr(e, SIGNET_EIO, "%s: writing %s: %s", s->store, tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	for (n = 1; n <= SIGNET_MAX_LOOKASIDE_SIGNATURES; n++) {
		free(path);
		free(name);
		name = NULL;
		if ((path = sn_aprintf(e, "%s/%ssignature-%u", s->dir, s->prefix, n)) == NULL ||
		    (name = sn_aprintf(e, "%s/%ssignature-%u", s->loc_dir, s->prefix, n)) == NULL) {
			rc = SIGNET_ENOMEM;
			goto out;
		}
		/* link() never replaces: EEXIST means taken, try the next. */
		if (link(tmp, path) == 0) {
			linked = 1;
			break;
		}
		if (errno != EEXIST) {
			rc = sn_seterr(e, SIGNET_EIO, "%s: cannot create %s: %s", s->store, path,
			               strerror(errno));
			goto out;
		}
	}
	if (!linked) {
		rc = sn_seterr(
		    e, SIGNET_ELIMIT,
		    "%s: already holds %d signatures, the most allowed (SIGNET_MAX_LOOKASIDE_SIGNATURES)",
		    s->store, SIGNET_MAX_LOOKASIDE_SIGNATURES);
		goto out;
	}
	if (sync_dir(s->dir) != 0) {
		rc = sn_seterr(e, SIGNET_EIO, "%s: syncing directory %s: %s", s->store, s->dir,
		               strerror(errno));
		(void)unlink(path); /* not known to be durable: not added */
		goto out;
	}
	*location = name;
	name = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (have_tmp)
		(void)unlink(tmp);
	free(tmp);
	free(path);
	free(name);
	return rc;
}
