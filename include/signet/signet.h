/* SPDX-License-Identifier: Apache-2.0 */
/* signet/signet.h: the whole public API of libsignet. */
#ifndef SIGNET_SIGNET_H
#define SIGNET_SIGNET_H

#include <signet/common.h>
#include <signet/limits.h>
#include <signet/image.h>
#include <signet/verify.h>
#include <signet/sign.h>
#include <signet/gate.h>
#include <signet/audit.h>
#include <signet/contract.h>
#include <signet/attestation.h>
#include <signet/export.h>

#endif
