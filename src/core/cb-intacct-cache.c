/* cb-intacct-cache.c: see cb-intacct-cache.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-intacct-cache"

#include "config.h"

#include "cb-intacct-cache.h"
