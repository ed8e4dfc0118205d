/* cb-secret-store.c: see cb-secret-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-secret-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "cb-error.h"
#include "cb-secret-store.h"

G_DEFINE_QUARK (cb-secret-error-quark, cb_secret_error)

#define PROBE_PROFILE "costbridge-keyring-check"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    APPLICATION_ID, SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

const char *
cb_secret_kind_to_string (CbSecretKind kind)
{
  switch (kind)
    {
    case CB_SECRET_USER_PASSWORD:
      return "user-password";
    case CB_SECRET_SENDER_PASSWORD:
      return "sender-password";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Any failure from libsecret or D-Bus means there is no usable keyring (HEADLESS.md §5):
 * no bus, no Secret Service, no login keyring, or a locked one that cannot prompt. */
static void
propagate_unavailable (GError **error,
                       GError  *reason)
{
  if (g_error_matches (reason, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, reason);
      return;
    }

  g_set_error (error, CB_SECRET_ERROR, CB_SECRET_ERROR_UNAVAILABLE,
               _("No keyring is available to keep the company passwords. "
                 "Install and unlock GNOME Keyring (or another Secret Service), "
                 "then try again. (%s)"),
               reason->message);
  g_error_free (reason);
}

gboolean
cb_secret_store_save (const char    *profile_id,
                      CbSecretKind   kind,
                      const char    *label,
                      const char    *secret,
                      GCancellable  *cancellable,
                      GError       **error)
{
  GError *local_error = NULL;
  const char *kind_string;

  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kind_string = cb_secret_kind_to_string (kind);
  g_return_val_if_fail (kind_string != NULL, FALSE);

  if (!secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                   cancellable, &local_error,
                                   "profile", profile_id,
                                   "kind", kind_string,
                                   NULL))
    {
      propagate_unavailable (error, local_error);
      return FALSE;
    }
  return TRUE;
}

char *
cb_secret_store_lookup (const char    *profile_id,
                        CbSecretKind   kind,
                        GCancellable  *cancellable,
                        GError       **error)
{
  GError *local_error = NULL;
  const char *kind_string;
  char *secret;
  char *copy;

  g_return_val_if_fail (profile_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  kind_string = cb_secret_kind_to_string (kind);
  g_return_val_if_fail (kind_string != NULL, NULL);

  secret = secret_password_lookup_nonpageable_sync (get_schema (), cancellable, &local_error,
                                                    "profile", profile_id,
                                                    "kind", kind_string,
                                                    NULL);
  if (local_error != NULL)
    {
      propagate_unavailable (error, local_error);
      return NULL;
    }
  if (secret == NULL)
    return NULL;

  /* Hand out ordinary memory that cb_clear_secret() can wipe and g_free(). */
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

gboolean
cb_secret_store_clear (const char    *profile_id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (profile_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Without "kind" the clear matches both secrets of the profile. */
  secret_password_clear_sync (get_schema (), cancellable, &local_error,
                              "profile", profile_id,
                              NULL);
  if (local_error != NULL)
    {
      propagate_unavailable (error, local_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
cb_secret_store_check (GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *probe = g_uuid_string_random ();
  g_autoptr(GError) local_error = NULL;
  char *found = NULL;
  gboolean matches;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cb_secret_store_save (PROBE_PROFILE, CB_SECRET_USER_PASSWORD,
                             _("Costbridge: keyring check"), probe,
                             cancellable, error))
    return FALSE;

  found = cb_secret_store_lookup (PROBE_PROFILE, CB_SECRET_USER_PASSWORD,
                                  cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  matches = g_strcmp0 (found, probe) == 0;
  cb_clear_secret (&found);

  if (!cb_secret_store_clear (PROBE_PROFILE, cancellable, error))
    return FALSE;

  if (!matches)
    {
      g_set_error (error, CB_SECRET_ERROR, CB_SECRET_ERROR_FAILED,
                   _("The keyring did not give back the password it was asked to keep. "
                     "Check GNOME Keyring (or your Secret Service), then try again."));
      return FALSE;
    }
  return TRUE;
}
