/* test-flatpak.c: the Flatpak manifests, parsed and checked offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GNOME runtime cannot be fetched here, so flatpak-builder cannot run; instead this
 * reads both manifests with json-glib and checks what a reviewer would: the app id, a
 * pinned GNOME runtime, the command, minimal permissions (network, Wayland with X11
 * fallback, GPU; no filesystem access, since files go through the portal file chooser; no
 * direct access to the keyring's bus name, since libsecret uses the Secret portal in a
 * sandbox), and the modules: libcsv, which the runtime lacks, from a checksummed archive,
 * then Costbridge itself. json-glib, libsoup, libsecret, libxml2 and SQLite come with the
 * GNOME runtime and must not be built again. check_manifest() is also fed broken
 * manifests, so the checks are shown to fail.
 */

#define G_LOG_DOMAIN "test-flatpak"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#define BASE_ID "io.github.costbridge.Costbridge"

/* Everything a finished Costbridge may ask for; anything else is a regression. */
static const char * const allowed_finish_args[] = {
  "--share=network",
  "--share=ipc",           /* X11 shared memory, for the fallback */
  "--socket=wayland",
  "--socket=fallback-x11",
  "--device=dri",          /* GTK's GL renderer */
  NULL,
};

static const char * const required_finish_args[] = {
  "--share=network", "--socket=wayland", "--socket=fallback-x11", NULL,
};

/* Libraries the GNOME runtime already has. */
static const char * const runtime_modules[] = {
  "json-glib", "libsoup", "libsecret", "sqlite", "libxml2", "gtk", "libadwaita", "glib", NULL,
};

static gboolean
is_hex_digest (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;

  for (const char *p = s; *p != '\0'; p++)
    {
      if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
        return FALSE;
    }

  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && g_strcmp0 (json_node_get_string (node), value) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
check_finish_args (JsonObject *manifest,
                   gboolean    devel,
                   GPtrArray  *problems)
{
  JsonArray *args = member_array (manifest, "finish-args");

  if (args == NULL)
    {
      g_ptr_array_add (problems, g_strdup ("no finish-args"));
      return;
    }

  for (guint i = 0; required_finish_args[i] != NULL; i++)
    {
      if (!array_has_string (args, required_finish_args[i]))
        g_ptr_array_add (problems, g_strdup_printf ("missing %s", required_finish_args[i]));
    }

  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);

      if (arg == NULL)
        {
          g_ptr_array_add (problems, g_strdup ("a finish-arg is not a string"));
          continue;
        }

      /* The development build may set environment variables (debug output), nothing else. */
      if (devel && g_str_has_prefix (arg, "--env="))
        continue;

      if (!g_strv_contains (allowed_finish_args, arg))
        g_ptr_array_add (problems, g_strdup_printf ("permission not allowed: %s", arg));
    }
}

static void
check_modules (JsonObject *manifest,
               gboolean    devel,
               GPtrArray  *problems)
{
  JsonArray *modules = member_array (manifest, "modules");
  gboolean have_csv = FALSE;
  guint n;

  if (modules == NULL || (n = json_array_get_length (modules)) == 0)
    {
      g_ptr_array_add (problems, g_strdup ("no modules"));
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);
      const char *name = module != NULL ? member_string (module, "name") : NULL;
      JsonArray *sources;

      if (name == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf ("module %u has no name", i));
          continue;
        }

      for (guint j = 0; runtime_modules[j] != NULL; j++)
        {
          if (g_str_equal (name, runtime_modules[j]))
            g_ptr_array_add (problems, g_strdup_printf ("module %s is in the GNOME runtime already", name));
        }

      sources = member_array (module, "sources");
      if (sources == NULL || json_array_get_length (sources) == 0)
        {
          g_ptr_array_add (problems, g_strdup_printf ("module %s has no sources", name));
          continue;
        }

      if (g_str_equal (name, "libcsv"))
        {
          JsonObject *source = json_array_get_object_element (sources, 0);
          const char *url = source != NULL ? member_string (source, "url") : NULL;

          have_csv = TRUE;
          if (i == n - 1)
            g_ptr_array_add (problems, g_strdup ("libcsv must be built before costbridge"));
          if (source == NULL || g_strcmp0 (member_string (source, "type"), "archive") != 0)
            g_ptr_array_add (problems, g_strdup ("libcsv is not an archive source"));
          if (url == NULL || !g_str_has_prefix (url, "https://"))
            g_ptr_array_add (problems, g_strdup ("libcsv is not fetched over HTTPS"));
          if (source == NULL || !is_hex_digest (member_string (source, "sha256")))
            g_ptr_array_add (problems, g_strdup ("libcsv has no sha256"));
        }

      if (i == n - 1)
        {
          JsonArray *opts = member_array (module, "config-opts");
          JsonObject *source = json_array_get_object_element (sources, 0);
          const char *profile = devel ? "-Dprofile=development" : "-Dprofile=default";

          if (!g_str_equal (name, "costbridge"))
            g_ptr_array_add (problems, g_strdup_printf ("the last module is %s, not costbridge", name));
          if (g_strcmp0 (member_string (module, "buildsystem"), "meson") != 0)
            g_ptr_array_add (problems, g_strdup ("costbridge is not built with meson"));
          if (!array_has_string (opts, profile))
            g_ptr_array_add (problems, g_strdup_printf ("costbridge is not built with %s", profile));
          if (!array_has_string (opts, "-Dtests=false"))
            g_ptr_array_add (problems, g_strdup ("costbridge builds its tests in the Flatpak"));
          if (source == NULL || g_strcmp0 (member_string (source, "type"), "dir") != 0
              || g_strcmp0 (member_string (source, "path"), "..") != 0)
            g_ptr_array_add (problems, g_strdup ("costbridge is not built from this checkout"));
        }
    }

  if (!have_csv)
    g_ptr_array_add (problems, g_strdup ("no libcsv module (the GNOME runtime has no libcsv)"));
}

/* Every problem with @json as the manifest of @app_id, as messages; empty when fine. */
static GPtrArray *
check_manifest (const char *json,
                const char *app_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  gboolean devel = g_str_has_suffix (app_id, ".Devel");
  JsonObject *manifest;
  const char *version;

  if (!json_parser_load_from_data (parser, json, -1, &error))
    {
      g_ptr_array_add (problems, g_strdup_printf ("not JSON: %s", error->message));
      return problems;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_ptr_array_add (problems, g_strdup ("not a JSON object"));
      return problems;
    }
  manifest = json_node_get_object (json_parser_get_root (parser));

  if (g_strcmp0 (member_string (manifest, "id"), app_id) != 0)
    g_ptr_array_add (problems, g_strdup_printf ("id is not %s", app_id));
  if (g_strcmp0 (member_string (manifest, "runtime"), "org.gnome.Platform") != 0)
    g_ptr_array_add (problems, g_strdup ("runtime is not org.gnome.Platform"));
  if (g_strcmp0 (member_string (manifest, "sdk"), "org.gnome.Sdk") != 0)
    g_ptr_array_add (problems, g_strdup ("sdk is not org.gnome.Sdk"));

  /* Pinned: a release number such as "47", never "master" or a nightly. */
  version = member_string (manifest, "runtime-version");
  if (version == NULL || *version == '\0' || strspn (version, "0123456789") != strlen (version)
      || atoi (version) < 45)
    g_ptr_array_add (problems, g_strdup_printf ("runtime-version %s is not a pinned GNOME release",
                                                version != NULL ? version : "(none)"));

  if (g_strcmp0 (member_string (manifest, "command"), "costbridge") != 0)
    g_ptr_array_add (problems, g_strdup ("command is not costbridge"));

  check_finish_args (manifest, devel, problems);
  check_modules (manifest, devel, problems);

  return problems;
}

static char *
read_manifest (const char *app_id)
{
  g_autofree char *name = g_strconcat (app_id, ".json", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "flatpak", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
assert_no_problems (GPtrArray  *problems,
                    const char *app_id)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", app_id, (const char *) problems->pdata[i]);

  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_manifest_stable (void)
{
  g_autofree char *json = read_manifest (BASE_ID);
  g_autoptr(GPtrArray) problems = check_manifest (json, BASE_ID);

  assert_no_problems (problems, BASE_ID);
}

static void
test_manifest_devel (void)
{
  g_autofree char *json = read_manifest (BASE_ID ".Devel");
  g_autoptr(GPtrArray) problems = check_manifest (json, BASE_ID ".Devel");

  assert_no_problems (problems, BASE_ID ".Devel");
}

/* Both manifests build the same thing on the same runtime; only the id, the profile, the
 * desktop file suffix and debug variables differ. */
static void
test_manifests_agree (void)
{
  g_autofree char *stable_json = read_manifest (BASE_ID);
  g_autofree char *devel_json = read_manifest (BASE_ID ".Devel");
  g_autoptr(JsonParser) stable = json_parser_new ();
  g_autoptr(JsonParser) devel = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *s, *d;
  JsonArray *s_modules, *d_modules;

  json_parser_load_from_data (stable, stable_json, -1, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (devel, devel_json, -1, &error);
  g_assert_no_error (error);
  s = json_node_get_object (json_parser_get_root (stable));
  d = json_node_get_object (json_parser_get_root (devel));

  g_assert_cmpstr (member_string (s, "runtime-version"), ==, member_string (d, "runtime-version"));
  g_assert_null (member_string (s, "desktop-file-name-suffix"));
  g_assert_nonnull (member_string (d, "desktop-file-name-suffix"));

  s_modules = member_array (s, "modules");
  d_modules = member_array (d, "modules");
  g_assert_cmpuint (json_array_get_length (s_modules), ==, json_array_get_length (d_modules));

  /* The dependencies are the same, byte for byte. */
  for (guint i = 0; i + 1 < json_array_get_length (s_modules); i++)
    {
      g_autofree char *a = json_to_string (json_array_get_element (s_modules, i), FALSE);
      g_autofree char *b = json_to_string (json_array_get_element (d_modules, i), FALSE);

      g_assert_cmpstr (a, ==, b);
    }
}

/* The checker itself: each kind of mistake is caught. */
static void
test_checker_catches_mistakes (void)
{
  static const struct {
    const char *json;
    const char *problem;
  } cases[] = {
    { "{", "not JSON" },
    { "{\"id\":\"org.example.Other\"}", "id is not" },
    { "{\"runtime-version\":\"master\"}", "not a pinned GNOME release" },
    { "{\"finish-args\":[\"--filesystem=home\"]}", "permission not allowed: --filesystem=home" },
    { "{\"finish-args\":[\"--talk-name=org.freedesktop.secrets\"]}",
      "permission not allowed: --talk-name=org.freedesktop.secrets" },
    { "{\"finish-args\":[\"--socket=x11\"]}", "permission not allowed: --socket=x11" },
    { "{\"finish-args\":[\"--share=network\"]}", "missing --socket=wayland" },
    { "{\"modules\":[{\"name\":\"libsoup\",\"sources\":[{}]}]}", "in the GNOME runtime already" },
    { "{\"modules\":[{\"name\":\"libcsv\",\"sources\":[{\"type\":\"archive\","
      "\"url\":\"https://example.org/libcsv.tar.gz\"}]},{\"name\":\"costbridge\",\"sources\":[{}]}]}",
      "libcsv has no sha256" },
    { "{\"modules\":[{\"name\":\"costbridge\",\"sources\":[{}]}]}", "no libcsv module" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) problems = check_manifest (cases[i].json, BASE_ID);
      gboolean found = FALSE;

      for (guint j = 0; j < problems->len; j++)
        found |= strstr (problems->pdata[j], cases[i].problem) != NULL;

      if (!found)
        g_test_message ("case %u: expected “%s”", i, cases[i].problem);
      g_assert_true (found);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flatpak/manifest/stable", test_manifest_stable);
  g_test_add_func ("/flatpak/manifest/devel", test_manifest_devel);
  g_test_add_func ("/flatpak/manifest/agree", test_manifests_agree);
  g_test_add_func ("/flatpak/checker", test_checker_catches_mistakes);

  return g_test_run ();
}
