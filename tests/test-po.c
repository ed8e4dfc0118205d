/* test-po.c: po/POTFILES.in lists exactly the files with translatable strings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks src/ and data/ in the source tree and finds every file with something to
 * translate: C files calling _(), N_(), C_(), NC_() or ngettext; templates with
 * translatable="yes"; the desktop file, the metainfo and the settings schema. The test
 * fails when POTFILES.in misses one of them, or lists a file that does not exist.
 */

#define G_LOG_DOMAIN "test-po"

#include "config.h"

#include <string.h>

#include <glib.h>

/* Whether C source @text marks a string for translation: _(), N_(), C_(), NC_() with an
 * argument (foo_() is another function, and "#define N_()" is no call), or ngettext and
 * its g_d… variants. */
static gboolean
c_has_translatable (const char *text)
{
  static GRegex *regex;

  if (regex == NULL)
    regex = g_regex_new ("(?<![A-Za-z0-9_])(?:N_|C_|NC_|_)\\s*\\(\\s*[^)\\s]"
                         "|ngettext\\s*\\(",
                         G_REGEX_OPTIMIZE, 0, NULL);
  g_assert_nonnull (regex);

  return g_regex_match (regex, text, 0, NULL);
}

static gboolean
file_has_translatable (const char *relative,
                       const char *text)
{
  if (g_str_has_suffix (relative, ".c"))
    return c_has_translatable (text);
  if (g_str_has_suffix (relative, ".ui"))
    return strstr (text, "translatable=\"yes\"") != NULL;
  if (g_str_has_suffix (relative, ".desktop.in.in") || g_str_has_suffix (relative, ".desktop.in")
      || g_str_has_suffix (relative, ".metainfo.xml.in.in") || g_str_has_suffix (relative, ".metainfo.xml.in"))
    return TRUE;
  if (g_str_has_suffix (relative, ".gschema.xml"))
    return strstr (text, "<summary>") != NULL || strstr (text, "<description>") != NULL;

  return FALSE;
}

static void
walk (const char *root,
      const char *relative,
      GPtrArray  *found)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_strconcat (relative, "/", name, NULL);
      g_autofree char *child_path = g_build_filename (root, child, NULL);
      g_autofree char *text = NULL;

      if (name[0] == '.')
        continue;

      if (g_file_test (child_path, G_FILE_TEST_IS_DIR))
        {
          walk (root, child, found);
          continue;
        }

      if (!g_file_get_contents (child_path, &text, NULL, NULL))
        continue;

      if (file_has_translatable (child, text))
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

static GPtrArray *
read_potfiles (const char *root)
{
  g_autofree char *path = g_build_filename (root, "po", "POTFILES.in", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *listed = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      g_ptr_array_add (listed, g_strdup (line));
    }

  return listed;
}

static gboolean
contains (GPtrArray  *array,
          const char *s)
{
  return g_ptr_array_find_with_equal_func (array, s, g_str_equal, NULL);
}

static void
test_detector (void)
{
  g_assert_true (c_has_translatable ("x = _(\"Vendors\");"));
  g_assert_true (c_has_translatable ("{ N_(\"Vendor\") }"));
  g_assert_true (c_has_translatable ("C_(\"page\", \"Sync\")"));
  g_assert_true (c_has_translatable ("g_dngettext (GETTEXT_PACKAGE, \"%u bill\", \"%u bills\", n)"));
  g_assert_true (c_has_translatable ("_ (\"spaced\")"));
  g_assert_false (c_has_translatable ("static int foo_(void); bar_(\"x\");"));
  g_assert_false (c_has_translatable ("#define N_()\n"));
  g_assert_false (c_has_translatable ("g_message (\"not marked\");"));

  g_assert_true (file_has_translatable ("src/gui/x.ui", "<property translatable=\"yes\">A</property>"));
  g_assert_false (file_has_translatable ("src/gui/x.ui", "<property>A</property>"));
  g_assert_true (file_has_translatable ("data/x.desktop.in.in", "[Desktop Entry]"));
  g_assert_false (file_has_translatable ("src/gui/style.css", "_(\"x\")"));
}

static void
test_potfiles_complete (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "..", NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = read_potfiles (root);
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) absent = g_string_new (NULL);

  walk (root, "src", found);
  walk (root, "data", found);
  g_test_message ("%u files with translatable strings, %u listed", found->len, listed->len);
  g_assert_cmpuint (found->len, >, 10);

  for (guint i = 0; i < found->len; i++)
    {
      if (!contains (listed, found->pdata[i]))
        g_string_append_printf (missing, "  %s\n", (const char *) found->pdata[i]);
    }

  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *path = g_build_filename (root, listed->pdata[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (absent, "  %s\n", (const char *) listed->pdata[i]);
      else if (!contains (found, listed->pdata[i]))
        g_test_message ("%s is listed but has nothing to translate", (const char *) listed->pdata[i]);
    }

  if (missing->len > 0)
    g_test_message ("Missing from po/POTFILES.in:\n%s", missing->str);
  if (absent->len > 0)
    g_test_message ("Listed in po/POTFILES.in but not there:\n%s", absent->str);
  g_assert_cmpuint (missing->len, ==, 0);
  g_assert_cmpuint (absent->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/po/detector", test_detector);
  g_test_add_func ("/po/potfiles-complete", test_potfiles_complete);

  return g_test_run ();
}
