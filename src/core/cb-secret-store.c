/* cb-secret-store.c: see cb-secret-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-secret-store"

#include "config.h"

#include "cb-secret-store.h"
