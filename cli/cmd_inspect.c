/* SPDX-License-Identifier: Apache-2.0 */
/* cli/cmd_inspect.c: signet inspect IMAGE. */
#include "cli.h"

#include <jansson.h>

static const char inspect_help[] =
    "Usage: signet inspect [OPTIONS] IMAGE\n\n"
    "Resolve IMAGE to its manifest, recompute the digest locally and show it.\n"
    "IMAGE is docker://HOST[:PORT]/REPO[:TAG][@DIGEST] (or a bare name), oci:PATH[:REF] or dir:PATH.\n\n"
    "Options:\n" CLI_TIMEOUT_HELP CLI_COMMON_HELP;

static void print_platform(FILE *f, const char *os, const char *arch, const char *variant)
{
	fprintf(f, "%s/%s", os != NULL ? os : "unknown", arch != NULL ? arch : "unknown");
	if (variant != NULL)
		fprintf(f, "/%s", variant);
}

static void print_human(const signet_ref *ref, const signet_image_info *info)
{
	size_t n = signet_image_info_instance_count(info);

	printf("Name: %s\n", signet_ref_string(ref));
	printf("Digest: %s\n", signet_image_info_digest(info));
	printf("MediaType: %s\n", signet_image_info_media_type(info));
	if (signet_image_info_pinned(info) != NULL)
		printf("Pinned: %s\n", signet_image_info_pinned(info));
	if (n == 0) {
		printf("Layers: %zu\n", signet_image_info_layer_count(info));
		return;
	}
	printf("Platforms:\n");
	for (size_t i = 0; i < n; i++) {
		const char *digest, *os, *arch, *variant;

		(void)signet_image_info_instance(info, i, &digest, NULL, &os, &arch, &variant);
		printf("  ");
		print_platform(stdout, os, arch, variant);
		printf(" %s\n", digest);
	}
}

static json_t *str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static int print_json(const signet_ref *ref, const signet_image_info *info)
{
	size_t n = signet_image_info_instance_count(info);
	json_t *o, *list;
	int rc;

	o = json_pack("{s:s, s:s, s:s, s:o}", "Name", signet_ref_string(ref), "Digest",
		      signet_image_info_digest(info), "MediaType", signet_image_info_media_type(info), "Pinned",
		      str_or_null(signet_image_info_pinned(info)));
	if (o == NULL)
		return -1;
	if (n == 0) {
		json_object_set_new(o, "Layers", json_integer((json_int_t)signet_image_info_layer_count(info)));
		json_object_set_new(o, "Config", str_or_null(signet_image_info_config_digest(info)));
	} else {
		list = json_array();
		for (size_t i = 0; i < n; i++) {
			const char *digest, *mt, *os, *arch, *variant;

			(void)signet_image_info_instance(info, i, &digest, &mt, &os, &arch, &variant);
			json_array_append_new(list, json_pack("{s:s, s:o, s:{s:o, s:o, s:o}}", "digest", digest,
							      "mediaType", str_or_null(mt), "platform", "os",
							      str_or_null(os), "architecture", str_or_null(arch),
							      "variant", str_or_null(variant)));
		}
		json_object_set_new(o, "Manifests", list);
	}
	rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(o);
	return rc;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS, CLI_TIMEOUT_LONGOPT, {NULL, 0, NULL, 0}};
	signet_image_info *info = NULL;
	signet_ctx *ctx = NULL;
	signet_ref *ref = NULL;
	struct cli_common c;
	int opt, rc, code;

	cli_common_init(&c);
	while ((opt = cli_getopt(argc, argv, "vqh", longopts)) != -1) {
		if (opt == 'h') {
			fputs(inspect_help, stdout);
			return EXIT_ALLOWED;
		}
		if (opt == '?')
			return EXIT_USAGE;
		if (cli_common_option(&c, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error("inspect takes exactly one IMAGE (see 'signet inspect --help')");
	if (cli_ctx_new(&ctx, &c) != 0)
		return EXIT_UNREACHABLE;
	if ((rc = signet_ref_parse(&ref, ctx, argv[optind])) != 0 ||
	    (rc = signet_inspect(&info, ctx, ref)) != 0) {
		code = cli_fail(ctx, rc);
		goto out;
	}
	code = EXIT_ALLOWED;
	if (c.quiet)
		goto out;
	if (c.json) {
		if (print_json(ref, info) != 0)
			code = cli_usage_error("cannot write JSON output");
	} else {
		print_human(ref, info);
	}
out:
	signet_image_info_free(info);
	signet_ref_free(ref);
	signet_ctx_free(ctx);
	return code;
}
