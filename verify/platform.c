/* SPDX-License-Identifier: Apache-2.0 */
/* verify/platform.c: which instance of a multi-platform index is ours. */
#include "verifier_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

void sn_platform_clear(struct sn_platform *p)
{
	free(p->os);
	free(p->arch);
	free(p->variant);
	p->os = p->arch = p->variant = NULL;
}

/* uname -m to the OCI (GOARCH) names. */
static const struct {
	const char *machine, *arch, *variant;
} arch_names[] = {
	{ "x86_64", "amd64", NULL }, { "aarch64", "arm64", NULL }, { "s390x", "s390x", NULL },
	{ "ppc64le", "ppc64le", NULL }, { "i686", "386", NULL }, { "armv7l", "arm", "v7" },
	{ "riscv64", "riscv64", NULL },
};

static int platform_set(struct sn_platform *p, const char *os, const char *arch, const char *variant,
			struct sn_err *e)
{
	struct sn_platform n = { sn_strdup(os, e), sn_strdup(arch, e), sn_strdup(variant, e) };

	if (n.os == NULL || n.arch == NULL || (variant != NULL && n.variant == NULL)) {
		sn_platform_clear(&n);
		return SIGNET_ENOMEM;
	}
	*p = n;
	return 0;
}

int sn_platform_default(struct sn_platform *p, struct sn_err *e)
{
	struct utsname u;

	if (uname(&u) != 0)
		return sn_seterr(e, SIGNET_EIO, "cannot tell this machine's architecture (uname)");
	for (size_t i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (strcmp(u.machine, arch_names[i].machine) == 0)
			return platform_set(p, "linux", arch_names[i].arch, arch_names[i].variant, e);
	return platform_set(p, "linux", u.machine, NULL, e);
}

int sn_platform_parse(struct sn_platform *p, const char *text, struct sn_err *e)
{
	char os[64], arch[64], variant[64];
	const char *s1, *s2;
	size_t n1, n2;

	s1 = strchr(text, '/');
	if (s1 == NULL || s1 == text || (n1 = (size_t)(s1 - text)) >= sizeof(os))
		return sn_seterr(e, SIGNET_EINVAL, "platform \"%.100s\": expected OS/ARCH[/VARIANT]", text);
	s2 = strchr(s1 + 1, '/');
	n2 = s2 != NULL ? (size_t)(s2 - s1 - 1) : strlen(s1 + 1);
	if (n2 == 0 || n2 >= sizeof(arch) || (s2 != NULL && (s2[1] == '\0' || strlen(s2 + 1) >= sizeof(variant) ||
							    strchr(s2 + 1, '/') != NULL)))
		return sn_seterr(e, SIGNET_EINVAL, "platform \"%.100s\": expected OS/ARCH[/VARIANT]", text);
	memcpy(os, text, n1);
	os[n1] = '\0';
	memcpy(arch, s1 + 1, n2);
	arch[n2] = '\0';
	if (s2 != NULL)
		memcpy(variant, s2 + 1, strlen(s2 + 1) + 1);
	return platform_set(p, os, arch, s2 != NULL ? variant : NULL, e);
}

const struct sn_descriptor *sn_platform_select(const struct sn_manifest *m, const struct sn_platform *p)
{
	for (size_t i = 0; i < m->n_manifests; i++) {
		const struct sn_descriptor *d = &m->manifests[i];

		if (d->os == NULL || d->arch == NULL || strcmp(d->os, p->os) != 0 || strcmp(d->arch, p->arch) != 0)
			continue;
		if (p->variant != NULL && (d->variant == NULL || strcmp(d->variant, p->variant) != 0))
			continue;
		return d;
	}
	return NULL;
}
