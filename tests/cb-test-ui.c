/* cb-test-ui.c: helpers shared by the tests that drive real widgets under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-test-ui"

#include "config.h"

#include "cb-test-ui.h"

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_invalidate_contents_cb (GdkPaintable *paintable,
                           gboolean     *invalidated)
{
  *invalidated = TRUE;
}

void
cb_test_spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
cb_test_spin_until (CbTestPredicate predicate,
                    gpointer        data,
                    guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return predicate (data);
}

gboolean
cb_test_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
cb_test_is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

/* The paintable must exist when the frame is drawn, or it snapshots nothing. */
static GdkPaintable *
paintable_after_next_frame (GtkWidget *window)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (window);
  gboolean invalidated = FALSE;
  gulong handler;

  handler = g_signal_connect (paintable, "invalidate-contents",
                              G_CALLBACK (on_invalidate_contents_cb), &invalidated);
  gtk_widget_queue_draw (window);
  /* A wait, not a speed check: under sanitizers on a loaded machine a frame of a large
   * window has taken more than 5 s. */
  g_assert_true (cb_test_spin_until (cb_test_is_true, &invalidated, 30000));
  g_signal_handler_disconnect (paintable, handler);
  return paintable;
}

void
cb_test_wait_for_frame (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = paintable_after_next_frame (window);
}

void
cb_test_save_screenshot (GtkWidget  *window,
                         const char *name)
{
  const char *dir = g_getenv ("COSTBRIDGE_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderNode *node;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL || *dir == '\0')
    return;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  paintable = paintable_after_next_frame (window);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_assert_nonnull (texture);

  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot saved to %s", path);
}

GtkWidget *
cb_test_find_named (GtkWidget  *root,
                    const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cb_test_find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gpointer
cb_test_named (GtkWidget  *root,
               const char *name)
{
  GtkWidget *widget = cb_test_find_named (root, name);

  if (widget == NULL)
    g_error ("No widget named %s", name);

  return widget;
}

guint16
cb_test_find_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
