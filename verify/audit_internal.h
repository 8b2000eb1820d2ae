/* SPDX-License-Identifier: Apache-2.0 */
/* verify/audit_internal.h: the audit record object (audit_record.c) as
 * the audit (audit.c) and the merge (audit_merge.c) make it. */
#ifndef SN_AUDIT_INTERNAL_H
#define SN_AUDIT_INTERNAL_H

#include "verifier_internal.h"

#include <signet/audit.h>

/* Makes *out from obj (a reference is taken) with text as its JSON Lines
 * form (copied; NULL: obj written compact, as the audit writes records).
 * obj must be a record the library made or one checked by
 * sn_audit_record_check().  Returns 0 or SIGNET_ENOMEM. */
int sn_audit_record_new(signet_audit_record **out, json_t *obj, const char *text, struct sn_err *e);

/* Whether obj is a record: its type, or SIGNET_EBADINPUT with a message
 * naming where and the field. */
int sn_audit_record_check(json_t *obj, const char *where, struct sn_err *e);

/* The parsed object behind rec (borrowed). */
json_t *sn_audit_record_object(const signet_audit_record *rec);

#endif
