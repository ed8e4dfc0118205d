/* cb-secret-store.h: company passwords in the system keyring (libsecret), and nowhere else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One keyring item per profile and kind, under an application schema named after the
 * application id. Blocking calls, for worker threads and the command line; the GUI calls
 * them from a GTask. A lookup of a missing item returns NULL without an error.
 * When no Secret Service answers (no session bus, nothing provides org.freedesktop.secrets,
 * a locked keyring that cannot prompt), every call fails with CB_SECRET_ERROR_UNAVAILABLE
 * and a message that says what to install or unlock. Nothing ever falls back to a file.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CB_SECRET_USER_PASSWORD,
  CB_SECRET_SENDER_PASSWORD,
} CbSecretKind;

typedef enum
{
  CB_SECRET_ERROR_UNAVAILABLE,  /* no Secret Service, or it is locked and cannot prompt */
  CB_SECRET_ERROR_FAILED,       /* the service answered with an error */
} CbSecretErrorCode;

#define CB_SECRET_ERROR (cb_secret_error_quark ())
GQuark cb_secret_error_quark (void);

/* "user-password" / "sender-password", the value of the schema's "kind" attribute. */
const char *cb_secret_kind_to_string (CbSecretKind kind);

/* Stores (or replaces) the secret for @profile_id and @kind. @label is shown in Seahorse. */
gboolean cb_secret_store_save   (const char    *profile_id,
                                 CbSecretKind   kind,
                                 const char    *label,
                                 const char    *secret,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* The secret (free with cb_clear_secret()), or NULL: absent (no error) or failure. */
char    *cb_secret_store_lookup (const char    *profile_id,
                                 CbSecretKind   kind,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* Removes both secrets of @profile_id. TRUE also when there was nothing to remove. */
gboolean cb_secret_store_clear  (const char    *profile_id,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* Whether a Secret Service answers and can store; FALSE with a helpful @error. */
gboolean cb_secret_store_check  (GCancellable  *cancellable,
                                 GError       **error);

G_END_DECLS
