/* cb-connection.c: see cb-connection.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-connection"

#include "config.h"

#include "cb-connection.h"
