/* test-po.c: po/POTFILES.in lists exactly the files with translatable strings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Walks src/ and data/ in the source tree and finds every file with something to
 * translate: C files calling _(), N_(), C_(), NC_() or ngettext; templates with
 * translatable="yes"; the desktop file, the metainfo and the settings schema. The test
 * fails when POTFILES.in misses one of them, or lists a file that does not exist.
 *
 * It also reads every C file POTFILES.in lists and fails when a gettext call glues a
 * string literal to a GLib format macro (_("Run %" G_GINT64_FORMAT)): xgettext does not
 * know these macros, so it extracts only the fragment before them and the sentence can
 * never be translated whole.
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

/* Copies C source @text with comments blanked out (newlines kept, so offsets and line
 * numbers stay right) and string and character literals left as they are. */
static char *
strip_comments (const char *text)
{
  char *out = g_strdup (text);
  char *p = out;

  while (*p != '\0')
    {
      if (*p == '"' || *p == '\'')
        {
          char quote = *p++;

          while (*p != '\0' && *p != quote && *p != '\n')
            p += (*p == '\\' && p[1] != '\0') ? 2 : 1;
          if (*p != '\0')
            p++;
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          for (; *p != '\0' && !(p[0] == '*' && p[1] == '/'); p++)
            if (*p != '\n')
              *p = ' ';
          if (*p != '\0')
            {
              p[0] = p[1] = ' ';
              p += 2;
            }
        }
      else if (p[0] == '/' && p[1] == '/')
        {
          for (; *p != '\0' && *p != '\n'; p++)
            *p = ' ';
        }
      else
        p++;
    }

  return out;
}

/* Given @open pointing at a "(" in comment-free C source, returns the matching ")"
 * (skipping string and character literals), or NULL at the end of the text. */
static const char *
find_close (const char *open)
{
  const char *p = open;
  int depth = 0;

  for (; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\'')
        {
          char quote = *p++;

          while (*p != '\0' && *p != quote && *p != '\n')
            p += (*p == '\\' && p[1] != '\0') ? 2 : 1;
          if (*p == '\0')
            return NULL;
        }
      else if (*p == '(')
        depth++;
      else if (*p == ')' && --depth == 0)
        return p;
    }

  return NULL;
}

/* Blanks out, in place, what string and character literals in C code @code hold. */
static void
blank_literals (char *code)
{
  char *p = code;

  while (*p != '\0')
    {
      if (*p == '"' || *p == '\'')
        {
          char quote = *p++;

          while (*p != '\0' && *p != quote && *p != '\n')
            {
              gboolean escape = *p == '\\' && p[1] != '\0';

              *p++ = ' ';
              if (escape)
                *p++ = ' ';
            }
          if (*p != '\0')
            p++;
        }
      else
        p++;
    }
}

/* Finds the gettext calls in C source @text whose argument uses a GLib format macro
 * (G_GINT64_FORMAT, G_GUINT64_FORMAT, G_GSIZE_FORMAT, G_GSSIZE_FORMAT, G_GOFFSET_FORMAT…)
 * and returns one "LINE: CALL" string for each. */
static GPtrArray *
find_split_formats (const char *text)
{
  static GRegex *call_regex;
  static GRegex *macro_regex;
  g_autofree char *code = strip_comments (text);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  if (call_regex == NULL)
    {
      call_regex = g_regex_new ("(?<![A-Za-z0-9_])(?:N_|C_|NC_|_|ngettext|dngettext|g_dngettext"
                                "|g_dgettext|g_dcgettext|g_dpgettext2?)\\s*(\\()",
                                G_REGEX_OPTIMIZE, 0, NULL);
      macro_regex = g_regex_new ("(?<![A-Za-z0-9_])G_G[A-Z0-9]*_FORMAT(?![A-Za-z0-9_])",
                                 G_REGEX_OPTIMIZE, 0, NULL);
    }
  g_assert_nonnull (call_regex);
  g_assert_nonnull (macro_regex);

  g_regex_match (call_regex, code, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      int start, open;
      const char *close;
      g_autofree char *call = NULL;
      g_autofree char *bare = NULL;
      guint line = 1;

      g_match_info_fetch_pos (match, 0, &start, NULL);
      g_match_info_fetch_pos (match, 1, &open, NULL);
      close = find_close (code + open);
      if (close == NULL)
        continue;

      call = g_strndup (code + start, close + 1 - (code + start));
      bare = g_strdup (call);
      blank_literals (bare);
      if (!g_regex_match (macro_regex, bare, 0, NULL))
        continue;

      for (const char *c = code; c < code + start; c++)
        line += *c == '\n';
      g_ptr_array_add (found, g_strdup_printf ("%u: %s", line, g_strdelimit (call, "\n", ' ')));
    }

  return found;
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
test_split_format_detector (void)
{
  const struct {
    const char *code;
    guint       n_found;
  } cases[] = {
    { "g_print (_(\"Run %\" G_GINT64_FORMAT \": %s\"), id, s);", 1 },
    { "x = ngettext (\"%\" G_GUINT64_FORMAT \" row\",\n\"%\" G_GUINT64_FORMAT \" rows\", n);", 1 },
    { "x = g_dngettext (GETTEXT_PACKAGE,\n  \"Done: %\" G_GUINT64_FORMAT \" record\",\n"
      "  \"Done: %\" G_GUINT64_FORMAT \" records\", (gulong) n);", 1 },
    { "g_set_error (e, 1, 2,\n  _(\"There is no run %\"\n    G_GINT64_FORMAT), id);", 1 },
    { "{ N_(\"%\" G_GSIZE_FORMAT \" bytes\") }", 1 },
    { "C_(\"size\", \"%\" G_GSSIZE_FORMAT)", 1 },
    { "a = _(\"One %\" G_GINT64_FORMAT); b = _(\"Two %\" G_GUINT64_FORMAT);", 2 },
    /* Numbers formatted outside the gettext call are fine. */
    { "n = g_strdup_printf (\"%\" G_GINT64_FORMAT, id); g_print (_(\"Run %s\"), n);", 0 },
    { "g_print (_(\"Run %s: %s\"), g_strdup_printf (\"%\" G_GINT64_FORMAT, id), s);", 0 },
    { "g_print (\"%\" G_GUINT64_FORMAT \" rows\\n\", n);", 0 },
    /* Parentheses and quotes inside literals, and comments, do not confuse it. */
    { "x = _(\"(a) \\\")\\\" b\"); y = g_strdup_printf (\"%\" G_GINT64_FORMAT, n);", 0 },
    { "/* _(\"Run %\" G_GINT64_FORMAT) */ g_print (_(\"ok\"));", 0 },
    { "// _(\"Run %\" G_GINT64_FORMAT)\nx = 1;", 0 },
    { "x = foo_(\"%\" G_GINT64_FORMAT);", 0 },
    { "x = _(\"G_GINT64_FORMAT is a macro\");", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) found = find_split_formats (cases[i].code);

      for (guint j = 0; j < found->len; j++)
        g_test_message ("case %u: %s", i, (const char *) found->pdata[j]);
      g_assert_cmpuint (found->len, ==, cases[i].n_found);
    }

  {
    g_autoptr(GPtrArray) found = find_split_formats ("a;\n\nx = _(\"Run %\"\n G_GINT64_FORMAT);\n");

    g_assert_cmpuint (found->len, ==, 1);
    g_assert_true (g_str_has_prefix (found->pdata[0], "3: _(\"Run %\"  G_GINT64_FORMAT)"));
  }
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

/* Files other people are fixing in this very cycle (their split formats are reported,
 * not failed); each comes off this list as soon as its fix lands, so that from then on a
 * new split format in it fails the test. */
static const char * const split_format_pending[] = {
  "src/gui/cb-mapping-page.c",
  NULL
};

static void
test_no_split_formats (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "..", NULL);
  g_autoptr(GPtrArray) listed = read_potfiles (root);
  g_autoptr(GString) report = g_string_new (NULL);
  guint n_sources = 0;

  for (guint i = 0; i < listed->len; i++)
    {
      const char *relative = listed->pdata[i];
      g_autofree char *path = g_build_filename (root, relative, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GPtrArray) found = NULL;

      if (!g_str_has_suffix (relative, ".c") || !g_file_get_contents (path, &text, NULL, NULL))
        continue;
      n_sources++;
      found = find_split_formats (text);
      if (found->len > 0 && g_strv_contains (split_format_pending, relative))
        {
          g_test_message ("%s: %u split formats, being fixed", relative, found->len);
          continue;
        }
      for (guint j = 0; j < found->len; j++)
        g_string_append_printf (report, "  %s:%s\n", relative, (const char *) found->pdata[j]);
    }

  g_test_message ("%u C files checked", n_sources);
  g_assert_cmpuint (n_sources, >, 10);
  if (report->len > 0)
    g_test_message ("Gettext calls with a G_G*_FORMAT macro in the string (format the "
                    "number into a string first, or use %%u/%%lu with a cast):\n%s", report->str);
  g_assert_cmpuint (report->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/po/detector", test_detector);
  g_test_add_func ("/po/potfiles-complete", test_potfiles_complete);
  g_test_add_func ("/po/split-format-detector", test_split_format_detector);
  g_test_add_func ("/po/no-split-formats", test_no_split_formats);

  return g_test_run ();
}
