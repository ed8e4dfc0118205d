/* cb-database.c: see cb-database.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-database"

#include "config.h"

#include "cb-database.h"
