/* cb-profile.c: see cb-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-profile"

#include "config.h"

#include "cb-profile.h"
