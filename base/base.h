/* SPDX-License-Identifier: Apache-2.0 */
/*
 * base/base.h: the foundation (internal, sn_ prefix), the ground every
 * module stands on.  It knows no domain: no registries, no policy, no
 * signatures, and calls nothing above it.
 *
 *   error.h        errors: a code and a message naming the object
 *   buf.h          bounded buffers
 *   str.h          strings and numbers
 *   digest.h       "sha256:..." digests
 *   base64.h       the one strict base64 decoder
 *   file.h         bounded reads, atomic writes
 *   json.h         strict JSON
 *   yaml_strict.h  strict YAML events
 *   ctx.h          the context behind signet_ctx
 *
 * A file includes the headers it uses; this one is for code that uses most.
 */
#ifndef SN_BASE_H
#define SN_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <signet/common.h>
#include <signet/limits.h>

#include "base/base64.h"
#include "base/buf.h"
#include "base/ctx.h"
#include "base/digest.h"
#include "base/error.h"
#include "base/file.h"
#include "base/json.h"
#include "base/str.h"

#endif
