/* cb-test-ui.h: helpers shared by the tests that drive real widgets under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*CbTestPredicate) (gpointer data);

/* Spins the default main context for @ms milliseconds. */
void       cb_test_spin_for          (guint            ms);
/* Spins until @predicate holds or @timeout_ms pass; returns the predicate's last value. */
gboolean   cb_test_spin_until        (CbTestPredicate  predicate,
                                      gpointer         data,
                                      guint            timeout_ms);
/* Predicates for cb_test_spin_until(): a mapped widget, a gboolean that became TRUE. */
gboolean   cb_test_is_mapped         (gpointer         widget);
gboolean   cb_test_is_true           (gpointer         flag);
/* Waits until @window has drawn a frame after now. */
void       cb_test_wait_for_frame    (GtkWidget       *window);
/* Saves a PNG of @window as $COSTBRIDGE_SCREENSHOT_DIR/@name (nothing when unset). */
void       cb_test_save_screenshot   (GtkWidget       *window,
                                      const char      *name);
/* The first widget below @root (inclusive) whose widget name is @name, or NULL. */
GtkWidget *cb_test_find_named        (GtkWidget       *root,
                                      const char      *name);
/* The same, failing the test when there is none. */
gpointer   cb_test_named             (GtkWidget       *root,
                                      const char      *name);
/* A loopback TCP port that nothing listens on (bound, read, closed). */
guint16    cb_test_find_closed_port  (void);

G_END_DECLS
