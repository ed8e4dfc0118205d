/* cb-test-lsan.c: library start-up allocations are not leaks, under LeakSanitizer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Libraries allocate in their constructors things that live as long as the process; GLib's
 * first block of quarks is dropped (never freed) once a program passes 2048 quarks, which
 * GTK test programs do. Those allocations happen before main(), inside constructors built
 * without frame pointers, so the fast unwinder cannot show where they came from and no
 * suppression can name them. Instead, every test program stops LeakSanitizer from counting
 * allocations from before the first library constructor (.preinit_array runs before them,
 * after the sanitizer's own start-up) until its own constructors run (after them).
 * Without ASan this file is empty.
 */

#include "config.h"

#ifdef __SANITIZE_ADDRESS__

#include <sanitizer/lsan_interface.h>

static void
ignore_library_start_up (void)
{
  __lsan_disable ();
}

__attribute__ ((section (".preinit_array"), used))
static void (*const cb_test_lsan_preinit) (void) = ignore_library_start_up;

__attribute__ ((constructor))
static void
count_again (void)
{
  __lsan_enable ();
}

#endif
