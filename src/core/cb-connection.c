/* cb-connection.c: see cb-connection.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-connection"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-connection.h"
#include "cb-intacct-cache.h"
#include "cb-intacct-objects.h"
#include "cb-intacct-pager.h"
#include "cb-secret-store.h"

/* Diagnosis ------------------------------------------------------------------------ */

void
cb_connect_diagnosis_free (CbConnectDiagnosis *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->advice);
  g_free (self->support_id);
  g_free (self);
}

/* Every text of every entry, lower case, to tell cases apart. */
static char *
dup_haystack (const GError *error)
{
  const CbIntacctErrorPrivate *details = cb_intacct_error_get_details (error);
  g_autoptr(GString) s = g_string_new (error->message);

  if (details != NULL)
    for (guint i = 0; i < details->entries->len; i++)
      {
        const CbIntacctErrorEntry *e = g_ptr_array_index (details->entries, i);

        g_string_append_printf (s, " %s %s %s %s", e->errorno ? e->errorno : "",
                                e->description ? e->description : "",
                                e->description2 ? e->description2 : "",
                                e->correction ? e->correction : "");
      }
  return g_utf8_strdown (s->str, -1);
}

/* The quoted word after @marker in the error texts ("sender ID 'abc'"), or NULL. */
static char *
find_quoted_after (const GError *error,
                   const char   *marker)
{
  const CbIntacctErrorPrivate *details = cb_intacct_error_get_details (error);

  if (details == NULL)
    return NULL;
  for (guint i = 0; i < details->entries->len; i++)
    {
      const CbIntacctErrorEntry *e = g_ptr_array_index (details->entries, i);
      const char *texts[] = { e->description2, e->description };

      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        {
          const char *text = texts[t];
          const char *p, *q;

          if (text == NULL || (p = strstr (text, marker)) == NULL)
            continue;
          p += strlen (marker);
          while (*p == ' ')
            p++;
          if (*p != '\'' && *p != '"')
            continue;
          q = strchr (p + 1, *p);
          if (q == NULL || q == p + 1 || q - p > 128)
            continue;
          return g_strndup (p + 1, q - p - 1);
        }
    }
  return NULL;
}

static CbConnectDiagnosis *
diagnosis_new (CbConnectProblem problem,
               const char      *title,
               char            *advice)   /* transfer full */
{
  CbConnectDiagnosis *d = g_new0 (CbConnectDiagnosis, 1);

  d->problem = problem;
  d->title = g_strdup (title);
  d->advice = advice;
  return d;
}

static gboolean
is_network_io_error (const GError *error)
{
  static const GIOErrorEnum codes[] = {
    G_IO_ERROR_HOST_NOT_FOUND, G_IO_ERROR_HOST_UNREACHABLE, G_IO_ERROR_NETWORK_UNREACHABLE,
    G_IO_ERROR_CONNECTION_REFUSED, G_IO_ERROR_TIMED_OUT, G_IO_ERROR_CONNECTION_CLOSED,
    G_IO_ERROR_BROKEN_PIPE, G_IO_ERROR_PROXY_FAILED, G_IO_ERROR_NOT_CONNECTED,
  };

  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;
  if (error->domain != G_IO_ERROR)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (error->code == (int) codes[i])
      return TRUE;
  return FALSE;
}

static CbConnectDiagnosis *
diagnose_sender (const GError *error,
                 const char   *haystack)
{
  g_autofree char *sender = find_quoted_after (error, "sender ID");

  if (strstr (haystack, "authoriz") != NULL || strstr (haystack, "authoris") != NULL)
    {
      char *advice;

      if (sender != NULL)
        advice = g_strdup_printf (_("The sender ID and its password are right, but this company "
                                    "has not authorised the sender. In Intacct, go to Company > "
                                    "Setup > Company > Security, find “Web Services "
                                    "authorizations”, and add the sender ID “%s”. Only a company "
                                    "administrator can do this."), sender);
      else
        advice = g_strdup (_("The sender ID and its password are right, but this company has "
                             "not authorised the sender. In Intacct, go to Company > Setup > "
                             "Company > Security, find “Web Services authorizations”, and add "
                             "the sender ID of this profile. Only a company administrator can "
                             "do this."));
      return diagnosis_new (CB_CONNECT_SENDER_NOT_AUTHORIZED,
                            _("The sender ID is not authorised for this company"), advice);
    }
  return diagnosis_new (CB_CONNECT_SENDER_CREDENTIALS,
                        _("The Web Services sender ID or sender password is wrong"),
                        g_strdup (_("The sender ID and sender password come with a Sage Intacct "
                                    "Web Services developer licence (or from the partner who "
                                    "set up the integration), not from the company. Both are "
                                    "case sensitive. Check them, and re-enter the sender "
                                    "password.")));
}

static CbConnectDiagnosis *
diagnose_entity (void)
{
  return diagnosis_new (CB_CONNECT_ENTITY,
                        _("The entity does not exist or this user may not enter it"),
                        g_strdup (_("Pick the entity from the list Costbridge shows after "
                                    "signing in at the top level, or leave it empty for the "
                                    "top level. In Intacct, an administrator can give the Web "
                                    "Services user access to an entity under Company > Admin > "
                                    "Web Services users (entity access).")));
}

static CbConnectDiagnosis *
diagnose_intacct (const GError *error)
{
  g_autofree char *haystack = dup_haystack (error);

  /* Checked first: Intacct may report it as any sign-in failure. */
  if (strstr (haystack, "web services") != NULL &&
      strstr (haystack, "subscri") != NULL &&
      strstr (haystack, "construction") == NULL)
    return diagnosis_new (CB_CONNECT_NOT_SUBSCRIBED,
                          _("The company is not subscribed to Web Services"),
                          g_strdup (_("An administrator must turn on Web Services in Intacct: "
                                      "Company > Subscriptions, then Web Services. Intacct may "
                                      "charge for it. Then add the sender ID under Company > "
                                      "Setup > Company > Security, Web Services "
                                      "authorizations.")));

  switch ((CbIntacctErrorCode) error->code)
    {
    case CB_INTACCT_ERROR_AUTH_FAILED:
      if (strstr (haystack, "not an entity") != NULL ||
          (strstr (haystack, "entity") != NULL && strstr (haystack, "may not") != NULL))
        return diagnose_entity ();
      return diagnosis_new (CB_CONNECT_USER_CREDENTIALS,
                            _("Intacct did not accept the user ID, company ID or password"),
                            g_strdup (_("Use the Web Services user of this company (in Intacct: "
                                        "Company > Admin > Web Services users), not a person’s "
                                        "own sign-in. Check its user ID and password, and the "
                                        "company ID exactly as it is typed on the Intacct "
                                        "sign-in page. A user locked after failed attempts must "
                                        "be unlocked by an administrator.")));

    case CB_INTACCT_ERROR_SENDER_NOT_AUTHORIZED:
      return diagnose_sender (error, haystack);

    case CB_INTACCT_ERROR_NOT_SUBSCRIBED:
    case CB_INTACCT_ERROR_PERMISSION_DENIED:
      if (error->code == CB_INTACCT_ERROR_NOT_SUBSCRIBED)
        return diagnosis_new (CB_CONNECT_NOT_SUBSCRIBED,
                              _("The company lacks a subscription Costbridge needs"),
                              g_strdup (_("An administrator can turn applications on in "
                                          "Intacct under Company > Subscriptions. Run the "
                                          "permission check to see which ones are missing.")));
      return diagnosis_new (CB_CONNECT_OTHER,
                            _("The Web Services user lacks a permission"),
                            g_strdup (_("Run the permission check: it lists each permission "
                                        "Costbridge needs and where to grant it (Company > "
                                        "Admin > Roles, or the user’s own permissions).")));

    case CB_INTACCT_ERROR_ENTITY_NOT_ACCESSIBLE:
      return diagnose_entity ();

    case CB_INTACCT_ERROR_RATE_LIMITED:
      return diagnosis_new (CB_CONNECT_RATE_LIMITED,
                            _("Intacct is limiting how fast this company may send requests"),
                            g_strdup (_("Nothing was changed. Wait a minute and try again; "
                                        "other integrations of the same company share this "
                                        "limit.")));

    case CB_INTACCT_ERROR_NETWORK:
    case CB_INTACCT_ERROR_SERVER:
    case CB_INTACCT_ERROR_OUTCOME_UNKNOWN:
      return diagnosis_new (CB_CONNECT_NETWORK,
                            _("The Intacct gateway could not be reached"),
                            g_strdup (_("Check the network connection and any proxy, and the "
                                        "gateway address if this profile sets one. Intacct’s "
                                        "status page says whether the service is down.")));

    case CB_INTACCT_ERROR_TLS:
      return diagnosis_new (CB_CONNECT_TLS,
                            _("The gateway’s certificate is not trusted"),
                            g_strdup (_("The connection was stopped before any password was "
                                        "sent. Check the system date and time; on a company "
                                        "network, a proxy that inspects traffic needs its "
                                        "certificate installed in the system trust store.")));

    case CB_INTACCT_ERROR_ENDPOINT_REFUSED:
      return diagnosis_new (CB_CONNECT_ENDPOINT,
                            _("This gateway address is not allowed"),
                            g_strdup (_("Costbridge sends company credentials only over HTTPS "
                                        "to hosts under intacct.com, or to a gateway on this "
                                        "computer. Clear the gateway address to use Intacct’s "
                                        "own.")));

    case CB_INTACCT_ERROR_COMPANY_UNAVAILABLE:
      return diagnosis_new (CB_CONNECT_COMPANY_UNAVAILABLE,
                            _("The company is not available right now"),
                            g_strdup (_("Intacct says the company is off-line, locked, or its "
                                        "trial has ended. Sign in to Intacct in a browser to "
                                        "see why, or try again later.")));

    default:
      break;
    }

  if (error->code == CB_INTACCT_ERROR_SESSION_INVALID)
    return diagnosis_new (CB_CONNECT_USER_CREDENTIALS,
                          _("Intacct ended the session"),
                          g_strdup (_("Sign in again. If this keeps happening, check that the "
                                      "Web Services user is still active.")));
  return diagnosis_new (CB_CONNECT_OTHER, _("Intacct refused the request"),
                        g_strdup (_("Try again. If it happens again, contact Sage Intacct "
                                    "support with the Support ID below.")));
}

CbConnectDiagnosis *
cb_connect_diagnose (const GError *error)
{
  CbConnectDiagnosis *d;

  if (error == NULL)
    return diagnosis_new (CB_CONNECT_OK, _("Connected"), g_strdup (""));

  if (error->domain == CB_INTACCT_ERROR)
    {
      const char *support_id = cb_intacct_error_get_support_id (error);

      d = diagnose_intacct (error);
      d->support_id = g_strdup (support_id);
      return d;
    }
  if (error->domain == CB_SECRET_ERROR)
    return diagnosis_new (CB_CONNECT_KEYRING,
                          _("The passwords could not be read from the keyring"),
                          g_strdup (error->message));
  if (error->domain == G_TLS_ERROR)
    return diagnosis_new (CB_CONNECT_TLS, _("The gateway’s certificate is not trusted"),
                          g_strdup (_("Check the system date and time, and the system’s "
                                      "certificate store.")));
  if (is_network_io_error (error))
    return diagnosis_new (CB_CONNECT_NETWORK, _("The Intacct gateway could not be reached"),
                          g_strdup (_("Check the network connection, any proxy, and the "
                                      "gateway address.")));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return diagnosis_new (CB_CONNECT_OTHER, _("Cancelled"), g_strdup (""));
  return diagnosis_new (CB_CONNECT_OTHER, _("The connection failed"),
                        g_strdup (error->message));
}

CbExitCode
cb_connect_problem_to_exit_code (CbConnectProblem problem)
{
  switch (problem)
    {
    case CB_CONNECT_OK:
      return CB_EXIT_OK;
    case CB_CONNECT_USER_CREDENTIALS:
    case CB_CONNECT_SENDER_CREDENTIALS:
    case CB_CONNECT_SENDER_NOT_AUTHORIZED:
      return CB_EXIT_CREDENTIALS;
    case CB_CONNECT_NETWORK:
    case CB_CONNECT_TLS:
    case CB_CONNECT_RATE_LIMITED:
    case CB_CONNECT_ENDPOINT:
      return CB_EXIT_NETWORK;
    case CB_CONNECT_NOT_SUBSCRIBED:
    case CB_CONNECT_ENTITY:
      return CB_EXIT_PERMISSIONS;
    case CB_CONNECT_KEYRING:
      return CB_EXIT_KEYRING;
    case CB_CONNECT_COMPANY_UNAVAILABLE:
    case CB_CONNECT_OTHER:
    default:
      return CB_EXIT_FAILURE;
    }
}

/* Connecting ----------------------------------------------------------------------- */

#define TEST_MAX_RETRIES 2
#define WORK_MAX_RETRIES 5   /* the client's default, for the work that follows */

CbIntacctCredentials *
cb_connection_credentials (const CbProfile *profile,
                           const char      *user_password,
                           const char      *sender_password)
{
  CbIntacctCredentials *c = cb_intacct_credentials_new ();

  c->endpoint = g_strdup (profile->endpoint && *profile->endpoint ? profile->endpoint : NULL);
  c->company_id = g_strdup (profile->company_id);
  c->user_id = g_strdup (profile->user_id);
  c->sender_id = g_strdup (profile->sender_id);
  c->entity_id = g_strdup (profile->entity_id && *profile->entity_id ? profile->entity_id : NULL);
  c->user_password = g_strdup (user_password);
  c->sender_password = g_strdup (sender_password);
  return c;
}

CbIntacctClient *
cb_connection_test (const CbIntacctCredentials *credentials,
                    GCancellable               *cancellable,
                    GError                    **error)
{
  g_autoptr(CbIntacctClient) client = NULL;

  g_return_val_if_fail (credentials != NULL, NULL);

  client = cb_intacct_client_new (credentials, error);
  if (client == NULL)
    return NULL;
  /* Someone is waiting for the answer: an unreachable gateway is reported after a few
   * seconds rather than after the client's full back-off (half a minute). */
  cb_intacct_client_set_max_retries (client, TEST_MAX_RETRIES);
  if (!cb_intacct_client_connect (client, cancellable, error))
    return NULL;
  cb_intacct_client_set_max_retries (client, WORK_MAX_RETRIES);
  return g_steal_pointer (&client);
}

static CbIntacctRecord *
entity_record (const char *id,
               const char *name,
               const char *recordno)
{
  CbIntacctRecord *r = cb_intacct_record_new ("LOCATIONENTITY");

  cb_intacct_record_add_field (r, "LOCATIONID", id);
  cb_intacct_record_add_field (r, "NAME", name);
  cb_intacct_record_add_field (r, "RECORDNO", recordno);
  return r;
}

GPtrArray *
cb_connection_list_entities (CbIntacctClient *client,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) entities = NULL;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (client), NULL);

  found = cb_intacct_client_list_entities (client, cancellable, error);
  if (found == NULL)
    return NULL;

  entities = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_ptr_array_add (entities, entity_record ("", _("Top level"), ""));
  for (guint i = 0; i < found->len; i++)
    {
      CbIntacctRecord *r = g_ptr_array_index (found, i);
      const char *id = cb_intacct_record_get_field (r, "LOCATIONID");

      if (id == NULL || *id == '\0')
        continue;
      g_ptr_array_add (entities,
                       entity_record (id, cb_intacct_record_get_field (r, "NAME"),
                                      cb_intacct_record_get_field (r, "RECORDNO")));
    }
  return g_steal_pointer (&entities);
}

/* The permission probe ------------------------------------------------------------- */

static const CbCapability capabilities[] = {
  { "VENDOR", "read", N_("Matching vendors and checking bills"),
    N_("Accounts Payable > Vendors: List, View"), FALSE },
  { "VENDOR", "create", N_("Creating vendors that exist only in the job system"),
    N_("Accounts Payable > Vendors: List, View, Add"), FALSE },
  { "STANDARDTASK", "read", N_("Matching cost codes to standard tasks"),
    N_("Construction > Standard tasks: List, View"), TRUE },
  { "STANDARDTASK", "create", N_("Creating standard tasks for new cost codes"),
    N_("Construction > Standard tasks: List, View, Add"), TRUE },
  { "STANDARDCOSTTYPE", "read", N_("Matching cost categories to standard cost types"),
    N_("Construction > Standard cost types: List, View"), TRUE },
  { "STANDARDCOSTTYPE", "create", N_("Creating standard cost types for new categories"),
    N_("Construction > Standard cost types: List, View, Add"), TRUE },
  { "PROJECT", "read", N_("Matching jobs to projects"),
    N_("Projects > Projects: List, View"), FALSE },
  { "PROJECT", "create", N_("Creating projects for new jobs"),
    N_("Projects > Projects: List, View, Add"), FALSE },
  { "TASK", "read", N_("Matching a job’s cost codes to project tasks"),
    N_("Projects > Tasks: List, View"), FALSE },
  { "TASK", "create", N_("Adding cost codes to projects as tasks"),
    N_("Projects > Tasks: List, View, Add"), FALSE },
  { "COSTTYPE", "read", N_("Matching a job’s cost categories to project cost types"),
    N_("Construction > Cost types: List, View"), TRUE },
  { "COSTTYPE", "create", N_("Adding cost categories to project tasks as cost types"),
    N_("Construction > Cost types: List, View, Add"), TRUE },
  { "APBILL", "read", N_("Checking which bills are already in Intacct before syncing"),
    N_("Accounts Payable > Bills: List, View"), FALSE },
  { "APBILL", "create", N_("Syncing bills"),
    N_("Accounts Payable > Bills: List, View, Add"), FALSE },
  { "APBILL", "update", N_("Updating bills that changed in the job system after their sync"),
    N_("Accounts Payable > Bills: List, View, Edit"), FALSE },
  { "GLACCOUNT", "read", N_("Choosing the default AP expense account"),
    N_("General Ledger > Accounts: List, View"), FALSE },
  { "LOCATION", "read", N_("Choosing the default location"),
    N_("Company > Locations: List, View"), FALSE },
  { "DEPARTMENT", "read", N_("Choosing the default department"),
    N_("Company > Departments: List, View"), FALSE },
  { "ITEM", "read", N_("Choosing the default item for bill lines"),
    N_("Inventory Control (or Purchasing) > Items: List, View"), FALSE },
};

const CbCapability *
cb_capabilities_get_all (guint *n_capabilities)
{
  if (n_capabilities != NULL)
    *n_capabilities = G_N_ELEMENTS (capabilities);
  return capabilities;
}

void
cb_probe_result_free (CbProbeResult *self)
{
  if (self == NULL)
    return;
  g_free (self->message);
  g_free (self);
}

static gboolean
is_not_subscribed (const GError *error)
{
  g_autofree char *haystack = NULL;

  if (g_error_matches (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NOT_SUBSCRIBED))
    return TRUE;
  if (!g_error_matches (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NOT_FOUND))
    return FALSE;
  haystack = dup_haystack (error);
  return strstr (haystack, "object definition") != NULL;
}

/* Errors that say nothing about this one capability: the whole check could not run. */
static gboolean
is_check_failure (const GError *error)
{
  const CbIntacctErrorPrivate *details = cb_intacct_error_get_details (error);

  if (details == NULL)
    return TRUE;
  return details->level != CB_INTACCT_LEVEL_RESULT;
}

static CbIntacctFunction *
probe_function (const CbCapability *cap)
{
  if (g_str_equal (cap->operation, "create") || g_str_equal (cap->operation, "update"))
    {
      g_autoptr(GPtrArray) objects =
        g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);

      /* No fields at all, not even a key: Intacct checks the permission, then refuses
       * the record, so nothing is written. */
      g_ptr_array_add (objects, cb_intacct_record_new (cap->object));
      if (g_str_equal (cap->operation, "update"))
        return cb_intacct_function_update (NULL, objects);
      return cb_intacct_function_create (NULL, objects);
    }
  return cb_intacct_function_read_by_query (NULL, cap->object, "RECORDNO", "", 1);
}

GPtrArray *
cb_connection_probe (CbIntacctClient *client,
                     void           (*progress) (guint done, guint total, gpointer data),
                     gpointer         progress_data,
                     GCancellable    *cancellable,
                     GError         **error)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *check_failure = NULL;
  guint n = G_N_ELEMENTS (capabilities);

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (client), NULL);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_probe_result_free);
  for (guint i = 0; i < n; i++)
    {
      const CbCapability *cap = &capabilities[i];
      CbProbeResult *r = g_new0 (CbProbeResult, 1);
      g_autoptr(CbIntacctFunction) fn = NULL;
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GError) local = NULL;
      gboolean creating = !g_str_equal (cap->operation, "read");   /* create or update */

      r->capability = cap;
      g_ptr_array_add (results, r);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (check_failure != NULL)
        {
          r->state = CB_CAPABILITY_UNKNOWN;
          r->message = g_strdup (check_failure);
          goto next;
        }

      fn = probe_function (cap);
      records = cb_intacct_client_call (client, fn, cancellable, &local);
      if (records != NULL)
        {
          r->state = CB_CAPABILITY_GRANTED;
          r->message = g_strdup (creating ? _("Intacct accepted an empty record")
                                          : _("Reading works"));
          if (creating)
            g_warning ("The %s %s probe was accepted", cap->object, cap->operation);
        }
      else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      else if (g_error_matches (local, CB_INTACCT_ERROR, CB_INTACCT_ERROR_PERMISSION_DENIED))
        {
          r->state = CB_CAPABILITY_MISSING;
          r->message = g_strdup_printf (_("Intacct refused it: grant %s"), _(cap->grant));
        }
      else if (is_not_subscribed (local))
        {
          r->state = CB_CAPABILITY_NOT_SUBSCRIBED;
          r->message = g_strdup (cap->construction
                                 ? _("The company has no Construction subscription "
                                     "(Company > Subscriptions > Construction)")
                                 : _("The company has no subscription for this object "
                                     "(Company > Subscriptions)"));
        }
      else if (is_check_failure (local))
        {
          g_autoptr(CbConnectDiagnosis) d = cb_connect_diagnose (local);

          r->state = CB_CAPABILITY_UNKNOWN;
          r->message = g_strdup (d->title);
          check_failure = g_strdup (d->title);
        }
      else if (creating)
        {
          /* The permission passed; the record itself was refused (required fields). */
          r->state = CB_CAPABILITY_GRANTED;
          r->message = g_strdup (_("Allowed (the test record was refused, nothing was "
                                   "written)"));
        }
      else
        {
          g_autoptr(CbConnectDiagnosis) d = cb_connect_diagnose (local);

          r->state = CB_CAPABILITY_UNKNOWN;
          r->message = g_strdup (d->title);
        }

    next:
      if (progress != NULL)
        progress (i + 1, n, progress_data);
    }
  return g_steal_pointer (&results);
}

/* Accounting defaults -------------------------------------------------------------- */

static const char * const defaults_objects[] = {
  "GLACCOUNT", "LOCATION", "DEPARTMENT", "ITEM", "STANDARDCOSTTYPE",
};

gboolean
cb_connection_refresh_defaults_data (CbIntacctClient *client,
                                     CbDatabase      *db,
                                     const char      *profile_id,
                                     GCancellable    *cancellable,
                                     GError         **error)
{
  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (client), FALSE);
  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (defaults_objects); i++)
    {
      const CbIntacctObjectInfo *info = cb_intacct_object_lookup (defaults_objects[i]);
      g_autofree char *fields = cb_intacct_object_dup_fields_string (info);
      g_autoptr(CbIntacctPager) pager = NULL;
      g_autoptr(GPtrArray) all = NULL;
      g_autoptr(GError) local = NULL;

      all = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
      pager = cb_intacct_pager_new_read_by_query (client, info->name, fields, "", 1000);
      while (!cb_intacct_pager_is_done (pager))
        {
          g_autoptr(GPtrArray) page = cb_intacct_pager_next (pager, cancellable, &local);

          if (page == NULL)
            break;
          for (guint j = 0; j < page->len; j++)
            g_ptr_array_add (all, cb_intacct_record_ref (g_ptr_array_index (page, j)));
        }
      if (local != NULL)
        {
          /* Without Construction there are no standard cost types to choose from. */
          if (info->needs_construction && is_not_subscribed (local))
            {
              g_debug ("Skipping %s: not subscribed", info->name);
              continue;
            }
          g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                      _("Could not read %s: "), _(info->display_name));
          return FALSE;
        }
      if (!cb_intacct_cache_store (db, profile_id, info->name, all, error))
        return FALSE;
    }
  return TRUE;
}

static void
validate_one (CbDatabase      *db,
              const CbProfile *profile,
              const char      *object,
              const char      *what,
              const char      *value,
              GString         *problems)
{
  g_autoptr(CbCachedRecord) record = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *problem = NULL;
  const char *entity = profile->entity_id && *profile->entity_id ? profile->entity_id : NULL;

  if (value == NULL || *value == '\0')
    return;
  record = cb_intacct_cache_find (db, profile->id, object, value, &local);
  if (local != NULL)
    problem = g_strdup_printf (_("%s “%s”: %s"), what, value, local->message);
  else if (record == NULL)
    problem = g_strdup_printf (_("%s “%s” is not in Intacct (refresh the lists if it was "
                                 "added recently)"), what, value);
  else if (record->status != NULL && g_ascii_strcasecmp (record->status, "active") != 0)
    problem = g_strdup_printf (_("%s “%s” is inactive in Intacct"), what, value);
  else if (record->entity != NULL && *record->entity != '\0' &&
           g_strcmp0 (record->entity, entity) != 0)
    problem = entity != NULL
              ? g_strdup_printf (_("%s “%s” belongs to entity %s, not to %s"),
                                 what, value, record->entity, entity)
              : g_strdup_printf (_("%s “%s” belongs to entity %s, not to the top level"),
                                 what, value, record->entity);
  if (problem == NULL)
    return;
  if (problems->len > 0)
    g_string_append_c (problems, '\n');
  g_string_append (problems, problem);
}

gboolean
cb_connection_validate_defaults (CbDatabase      *db,
                                 const CbProfile *profile,
                                 GError         **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);

  g_return_val_if_fail (CB_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (profile != NULL && profile->id != NULL, FALSE);

  validate_one (db, profile, "GLACCOUNT", _("The default AP account"),
                profile->default_ap_account, problems);
  validate_one (db, profile, "LOCATION", _("The default location"),
                profile->default_location, problems);
  validate_one (db, profile, "DEPARTMENT", _("The default department"),
                profile->default_department, problems);
  validate_one (db, profile, "ITEM", _("The default item"),
                profile->default_item, problems);
  validate_one (db, profile, "STANDARDCOSTTYPE", _("The default cost type"),
                profile->default_cost_type, problems);
  if (profile->missing_cost_type_rule == CB_MISSING_COST_TYPE_DEFAULT &&
      (profile->default_cost_type == NULL || *profile->default_cost_type == '\0'))
    {
      if (problems->len > 0)
        g_string_append_c (problems, '\n');
      g_string_append (problems, _("Lines without a cost type are set to use the default cost "
                                   "type, but no default cost type is chosen"));
    }

  if (problems->len > 0)
    {
      g_set_error_literal (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID, problems->str);
      return FALSE;
    }
  return TRUE;
}
