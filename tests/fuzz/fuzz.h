/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz.h: every harness defines the libFuzzer entry point. */
#ifndef SN_FUZZ_H
#define SN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
