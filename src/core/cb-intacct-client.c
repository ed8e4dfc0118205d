/* cb-intacct-client.c: a session with one Intacct company over the XML gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here blocks: callers are worker threads. One SoupSession per client, sync
 * sends with a GCancellable, back-off waits that wake up on cancellation, and a
 * process-wide bound on the requests in flight per company (REFERENCE.md §6.2, §8).
 */

#define G_LOG_DOMAIN "cb-intacct-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "cb-intacct-client.h"

#define DEFAULT_TIMEOUT_S        120
#define DEFAULT_MAX_RETRIES      5
#define DEFAULT_RETRY_DELAY_MS   1000
#define MAX_RETRY_DELAY_MS       (5 * 60 * 1000)
#define SESSION_REFRESH_MARGIN_S 60

struct _CbIntacctClient
{
  GObject               parent_instance;

  /* Immutable after construction. */
  CbIntacctCredentials *credentials;
  SoupSession          *soup;

  /* Tuning, set before the first request. */
  guint                 timeout_s;
  guint                 max_retries;
  guint                 retry_delay_ms;
  guint                 max_in_flight;

  /* The session, behind @lock: several threads may share a client. */
  GMutex                lock;
  char                 *session_id;
  char                 *session_endpoint;
  char                 *entity_id;
  GDateTime            *session_timeout;
  guint                 session_generation;

  guint                 request_count;   /* atomic */
  guint                 retry_count;     /* atomic */
};

G_DEFINE_FINAL_TYPE (CbIntacctClient, cb_intacct_client, G_TYPE_OBJECT)

/* {{{ Credentials */

CbIntacctCredentials *
cb_intacct_credentials_new (void)
{
  return g_new0 (CbIntacctCredentials, 1);
}

CbIntacctCredentials *
cb_intacct_credentials_copy (const CbIntacctCredentials *self)
{
  CbIntacctCredentials *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = cb_intacct_credentials_new ();
  copy->endpoint = g_strdup (self->endpoint);
  copy->sender_id = g_strdup (self->sender_id);
  copy->sender_password = g_strdup (self->sender_password);
  copy->company_id = g_strdup (self->company_id);
  copy->user_id = g_strdup (self->user_id);
  copy->user_password = g_strdup (self->user_password);
  copy->entity_id = g_strdup (self->entity_id);
  return copy;
}

void
cb_intacct_credentials_free (CbIntacctCredentials *self)
{
  if (self == NULL)
    return;
  g_free (self->endpoint);
  g_free (self->sender_id);
  cb_clear_secret (&self->sender_password);
  g_free (self->company_id);
  g_free (self->user_id);
  cb_clear_secret (&self->user_password);
  g_free (self->entity_id);
  g_free (self);
}

/* }}} */
/* {{{ Endpoint check */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;
  /* 127.0.0.0/8 and ::1; g_inet_address_get_is_loopback() covers both. */
  return g_inet_address_get_is_loopback (address);
}

static gboolean
host_is_intacct (const char *host)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);
  gsize len = strlen (lower);

  /* One trailing dot is the same name, fully qualified. */
  if (len > 0 && lower[len - 1] == '.')
    lower[--len] = '\0';
  if (len == 0 || lower[len - 1] == '.')
    return FALSE;
  for (const char *p = lower; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  if (strstr (lower, "..") != NULL || lower[0] == '.')
    return FALSE;
  return g_str_equal (lower, "intacct.com") || g_str_has_suffix (lower, ".intacct.com");
}

gboolean
cb_intacct_endpoint_is_allowed (const char  *url,
                                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *authority;
  const char *scheme;
  const char *host;
  gboolean https, http;

  if (url == NULL || *url == '\0')
    goto refused;
  /* Percent-encoded authorities are refused outright ("api%2eintacct.com"): GLib decodes
   * them, and what is checked must be what is plainly written. */
  authority = strstr (url, "://");
  if (authority == NULL)
    goto refused;
  authority += 3;
  if (memchr (authority, '%', strcspn (authority, "/?#")) != NULL)
    goto refused;
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    goto refused;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (scheme == NULL || host == NULL || *host == '\0' || strchr (host, '%') != NULL)
    goto refused;
  if (g_uri_get_userinfo (uri) != NULL)
    goto refused;
  https = g_ascii_strcasecmp (scheme, "https") == 0;
  http = g_ascii_strcasecmp (scheme, "http") == 0;
  if (https && host_is_intacct (host))
    return TRUE;
  if ((https || http) && host_is_loopback (host))
    return TRUE;

refused:
  cb_intacct_set_error (error, CB_INTACCT_ERROR_ENDPOINT_REFUSED, CB_INTACCT_LEVEL_TRANSPORT,
                        0, NULL, NULL,
                        _("The gateway address is not an Intacct server. Only https addresses "
                          "under intacct.com are allowed."));
  return FALSE;
}

/* }}} */
/* {{{ Cancellable waits and the in-flight table */

/* Sleeps @ms milliseconds unless @cancellable fires first. */
static gboolean
wait_cancellable (guint          ms,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GPollFD pollfd;
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  gboolean have_fd = FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (cancellable != NULL)
    have_fd = g_cancellable_make_pollfd (cancellable, &pollfd);

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      int timeout_ms;

      if (now >= deadline)
        break;
      timeout_ms = (int) MIN ((deadline - now + 999) / 1000, G_MAXINT);
      if (have_fd)
        g_poll (&pollfd, 1, timeout_ms);
      else
        g_poll (NULL, 0, timeout_ms);
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }

  if (have_fd)
    g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

typedef struct
{
  guint in_flight;
  GCond cond;
} FlightSlot;

static GMutex flight_lock;
static GHashTable *flight_table; /* company id → FlightSlot */

static void
flight_slot_free (gpointer data)
{
  FlightSlot *slot = data;

  g_cond_clear (&slot->cond);
  g_free (slot);
}

static void
on_flight_cancelled_cb (GCancellable *cancellable,
                        gpointer      user_data)
{
  g_mutex_lock (&flight_lock);
  g_cond_broadcast (user_data);
  g_mutex_unlock (&flight_lock);
}

static FlightSlot *
get_flight_slot_locked (const char *company_id)
{
  FlightSlot *slot;

  if (flight_table == NULL)
    flight_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, flight_slot_free);
  slot = g_hash_table_lookup (flight_table, company_id);
  if (slot == NULL)
    {
      slot = g_new0 (FlightSlot, 1);
      g_cond_init (&slot->cond);
      g_hash_table_insert (flight_table, g_strdup (company_id), slot);
    }
  return slot;
}

/* Waits until fewer than @max requests to @company_id are on the wire, and takes a place. */
static gboolean
flight_acquire (const char    *company_id,
                guint          max,
                GCancellable  *cancellable,
                GError       **error)
{
  FlightSlot *slot;
  gulong handler = 0;
  gboolean ok;

  /* Slots are never freed, so the pointer stays valid outside the lock. */
  g_mutex_lock (&flight_lock);
  slot = get_flight_slot_locked (company_id);
  g_mutex_unlock (&flight_lock);

  /* Connected outside the lock: the callback runs at once when already cancelled. */
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_flight_cancelled_cb),
                                     &slot->cond, NULL);

  g_mutex_lock (&flight_lock);
  while (slot->in_flight >= max && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&slot->cond, &flight_lock);
  ok = !g_cancellable_is_cancelled (cancellable);
  if (ok)
    slot->in_flight++;
  g_mutex_unlock (&flight_lock);

  /* Disconnected outside the lock: it waits for a running callback, which locks. */
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  if (!ok)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  return ok;
}

static void
flight_release (const char *company_id)
{
  FlightSlot *slot;

  g_mutex_lock (&flight_lock);
  slot = get_flight_slot_locked (company_id);
  g_assert (slot->in_flight > 0);
  slot->in_flight--;
  g_cond_broadcast (&slot->cond);
  g_mutex_unlock (&flight_lock);
}

/* }}} */
/* {{{ Errors */

static void
set_simple_error (GError             **error,
                  CbIntacctErrorCode   code,
                  guint                http_status,
                  const char          *message)
{
  cb_intacct_set_error (error, code, CB_INTACCT_LEVEL_TRANSPORT, http_status, NULL, NULL, message);
}

static GStrv
dup_write_control_ids (GPtrArray *functions)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < functions->len; i++)
    {
      CbIntacctFunction *function = g_ptr_array_index (functions, i);
      if (cb_intacct_function_is_write (function))
        g_strv_builder_add (builder, cb_intacct_function_get_control_id (function));
    }
  return g_strv_builder_end (builder);
}

static gboolean
has_writes (GPtrArray *functions)
{
  for (guint i = 0; i < functions->len; i++)
    if (cb_intacct_function_is_write (g_ptr_array_index (functions, i)))
      return TRUE;
  return FALSE;
}

static void
set_outcome_unknown (GError    **error,
                     guint       http_status,
                     GPtrArray  *functions,
                     const char *why)
{
  g_auto(GStrv) unsure = dup_write_control_ids (functions);
  g_autofree char *message = NULL;
  GError *local = NULL;

  message = g_strdup_printf (_("%s The changes may or may not have been saved in Intacct; "
                               "check before sending them again."), why);
  cb_intacct_set_error (&local, CB_INTACCT_ERROR_OUTCOME_UNKNOWN, CB_INTACCT_LEVEL_TRANSPORT,
                        http_status, NULL, NULL, message);
  cb_intacct_error_set_unsure_control_ids (local, (const char * const *) unsure);
  g_propagate_error (error, local);
}

/* }}} */
/* {{{ Sending */

typedef enum
{
  ATTEMPT_OK,            /* a reply that passed levels 1 and 2 */
  ATTEMPT_FAILED,        /* a final error: do not retry */
  ATTEMPT_RETRY_ALWAYS,  /* nothing ran: 429, GW-0010, could not connect */
  ATTEMPT_RETRY_READS,   /* may have run: retry only when no function writes */
} AttemptOutcome;

typedef struct
{
  gboolean wrote_headers;
} SendState;

static void
on_message_wrote_headers_cb (SoupMessage *message,
                             gpointer     user_data)
{
  SendState *state = user_data;

  state->wrote_headers = TRUE;
}

static gboolean
error_is_connect_failure (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return TRUE;
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED);
}

static gboolean
content_type_is_xml (SoupMessage *message,
                     GBytes      *body)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                            NULL);
  gsize len = 0;
  const char *data;

  if (type != NULL)
    return g_str_equal (type, "text/xml") || g_str_equal (type, "application/xml") ||
           g_str_has_suffix (type, "+xml");

  /* No type at all: sniff for a document. */
  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  while (len > 0 && g_ascii_isspace (*data))
    data++, len--;
  return len > 0 && *data == '<';
}

/* Seconds from a Retry-After header (delta-seconds or an HTTP date), or -1. */
static gint64
parse_retry_after (SoupMessage *message)
{
  const char *value;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *end = NULL;
  guint64 seconds;

  value = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  if (value == NULL)
    return -1;
  seconds = g_ascii_strtoull (value, &end, 10);
  if (end != value && *end == '\0')
    return (gint64) MIN (seconds, G_MAXINT32);
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (when, now) / G_TIME_SPAN_SECOND);
}

/* One HTTP exchange, parsed and checked. Sets @retry_after_s from the reply. */
static AttemptOutcome
send_attempt (CbIntacctClient     *self,
              const char          *url,
              GBytes              *body,
              gboolean             session_auth,
              GPtrArray           *functions,
              CbIntacctResponse  **out_response,
              gint64              *retry_after_s,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(CbIntacctResponse) response = NULL;
  gboolean writes = has_writes (functions);
  SendState state = { FALSE };
  const char *data;
  gsize len;
  guint status;

  *retry_after_s = -1;

  message = soup_message_new ("POST", url);
  if (message == NULL)
    {
      /* Not reachable for an allowed endpoint, but never hand a NULL message to libsoup. */
      set_simple_error (error, CB_INTACCT_ERROR_ENDPOINT_REFUSED, 0,
                        _("The gateway address is not valid."));
      return ATTEMPT_FAILED;
    }
  /* A redirect could take the credentials in the body to another host. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (message, "application/xml", body);
  g_signal_connect (message, "wrote-headers", G_CALLBACK (on_message_wrote_headers_cb), &state);

  if (!flight_acquire (self->credentials->company_id, self->max_in_flight, cancellable, error))
    return ATTEMPT_FAILED;
  g_atomic_int_inc (&self->request_count);
  reply = soup_session_send_and_read (self->soup, message, cancellable, &local);
  flight_release (self->credentials->company_id);

  if (reply == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return ATTEMPT_FAILED;
        }
      g_debug ("Request failed: %s", local->message);
      if (local->domain == G_TLS_ERROR)
        {
          set_simple_error (error, CB_INTACCT_ERROR_TLS, 0,
                            _("The identity of the Intacct server could not be verified."));
          return ATTEMPT_FAILED;
        }
      if (!state.wrote_headers || error_is_connect_failure (local))
        {
          set_simple_error (error, CB_INTACCT_ERROR_NETWORK, 0,
                            _("Could not connect to Intacct. Check the network connection."));
          return ATTEMPT_RETRY_ALWAYS;
        }
      if (writes)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            set_outcome_unknown (error, 0, functions, _("Intacct did not answer in time."));
          else
            set_outcome_unknown (error, 0, functions, _("The connection to Intacct was lost."));
          return ATTEMPT_FAILED;
        }
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        set_simple_error (error, CB_INTACCT_ERROR_NETWORK, 0, _("Intacct did not answer in time."));
      else
        set_simple_error (error, CB_INTACCT_ERROR_NETWORK, 0,
                          _("The connection to Intacct was lost."));
      return ATTEMPT_RETRY_READS;
    }

  status = soup_message_get_status (message);
  *retry_after_s = parse_retry_after (message);
  data = g_bytes_get_data (reply, &len);
  g_debug ("HTTP %u, %" G_GSIZE_FORMAT " bytes", status, len);

  if (status >= 500)
    {
      if (writes)
        {
          g_autofree char *why = g_strdup_printf (_("Intacct reported a server error (HTTP %u)."),
                                                  status);
          set_outcome_unknown (error, status, functions, why);
          return ATTEMPT_FAILED;
        }
      cb_intacct_set_error (error, CB_INTACCT_ERROR_SERVER, CB_INTACCT_LEVEL_TRANSPORT, status,
                            NULL, NULL, _("Intacct reported a server error. Try again later."));
      return ATTEMPT_RETRY_READS;
    }

  if (status == 429 && !content_type_is_xml (message, reply))
    {
      set_simple_error (error, CB_INTACCT_ERROR_RATE_LIMITED, status,
                        _("Intacct is receiving too many requests. Try again later."));
      return ATTEMPT_RETRY_ALWAYS;
    }

  if (status < 200 || (status >= 300 && status < 400) ||
      (status >= 400 && !content_type_is_xml (message, reply)))
    {
      g_autofree char *message_text = g_strdup_printf (_("Intacct answered with HTTP status %u."),
                                                       status);
      set_simple_error (error, CB_INTACCT_ERROR_OTHER, status, message_text);
      return ATTEMPT_FAILED;
    }

  /* 2xx, or 4xx with an XML body, which the SDKs read as a normal reply. */
  response = cb_intacct_response_parse (data, len, &local);
  if (response != NULL && !cb_intacct_response_check (response, session_auth, &local))
    g_clear_pointer (&response, cb_intacct_response_free);

  if (response == NULL)
    {
      if (g_error_matches (local, CB_INTACCT_ERROR, CB_INTACCT_ERROR_RATE_LIMITED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return ATTEMPT_RETRY_ALWAYS;
        }
      if (g_error_matches (local, CB_INTACCT_ERROR, CB_INTACCT_ERROR_MALFORMED_REPLY) &&
          status < 300)
        {
          if (writes)
            {
              set_outcome_unknown (error, status, functions,
                                   _("Intacct's reply could not be read."));
              return ATTEMPT_FAILED;
            }
          g_propagate_error (error, g_steal_pointer (&local));
          return ATTEMPT_RETRY_READS;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return ATTEMPT_FAILED;
    }

  *out_response = g_steal_pointer (&response);
  return ATTEMPT_OK;
}

static guint
backoff_delay_ms (CbIntacctClient *self,
                  guint            attempt,
                  gint64           retry_after_s)
{
  guint64 delay;
  double jitter;

  if (retry_after_s >= 0)
    return (guint) MIN ((guint64) retry_after_s * 1000, MAX_RETRY_DELAY_MS);

  delay = (guint64) self->retry_delay_ms << MIN (attempt, 20u);
  delay = MIN (delay, MAX_RETRY_DELAY_MS);
  jitter = g_random_double_range (0.75, 1.25);
  return (guint) (delay * jitter);
}

static void
log_request (const CbIntacctRequest *request,
             const char             *url)
{
  g_autofree char *text = NULL;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  text = cb_intacct_request_to_log_string (request);
  g_debug ("POST %s\n%s", url, text);
}

/* Serialises @request and sends it with retries. Returns a reply past levels 1 and 2. */
static CbIntacctResponse *
send_request (CbIntacctClient         *self,
              const char              *url,
              const CbIntacctRequest  *request,
              GCancellable            *cancellable,
              GError                 **error)
{
  g_autoptr(GBytes) body = NULL;
  gboolean session_auth = request->auth_kind == CB_INTACCT_AUTH_SESSION;
  gboolean writes = has_writes (request->functions);

  body = cb_intacct_request_serialize (request, error);
  if (body == NULL)
    return NULL;
  log_request (request, url);

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local = NULL;
      CbIntacctResponse *response = NULL;
      gint64 retry_after_s = -1;
      AttemptOutcome outcome;
      gboolean retry;

      outcome = send_attempt (self, url, body, session_auth, request->functions, &response,
                              &retry_after_s, cancellable, &local);
      if (outcome == ATTEMPT_OK)
        return response;

      retry = outcome == ATTEMPT_RETRY_ALWAYS || (outcome == ATTEMPT_RETRY_READS && !writes);
      if (!retry || attempt >= self->max_retries)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }

      g_debug ("Attempt %u failed (%s); retrying", attempt + 1, local->message);
      g_atomic_int_inc (&self->retry_count);
      if (!wait_cancellable (backoff_delay_ms (self, attempt, retry_after_s), cancellable, error))
        return NULL;
    }
}

/* }}} */
/* {{{ Sessions */

static CbIntacctRequest *
new_request (CbIntacctClient *self)
{
  CbIntacctRequest *request = cb_intacct_request_new ();

  request->sender_id = g_strdup (self->credentials->sender_id);
  request->sender_password = g_strdup (self->credentials->sender_password);
  request->control_id = cb_intacct_new_control_id ();
  request->unique_id = FALSE;
  request->include_whitespace = FALSE;
  request->transaction = FALSE;
  return request;
}

static void
set_login (CbIntacctClient  *self,
           CbIntacctRequest *request,
           const char       *entity_id)
{
  request->auth_kind = CB_INTACCT_AUTH_LOGIN;
  request->user_id = g_strdup (self->credentials->user_id);
  request->company_id = g_strdup (self->credentials->company_id);
  request->user_password = g_strdup (self->credentials->user_password);
  /* Sign in straight into the entity when there is one, as the SDKs do. */
  if (entity_id != NULL && *entity_id != '\0')
    request->location_id = g_strdup (entity_id);
}

static const char *
login_endpoint (CbIntacctClient *self)
{
  return self->credentials->endpoint != NULL ? self->credentials->endpoint
                                             : CB_INTACCT_DEFAULT_ENDPOINT;
}

static void
update_session_timeout_locked (CbIntacctClient         *self,
                               const CbIntacctResponse *response)
{
  GDateTime *timeout;

  if (response->session_timeout == NULL)
    return;
  timeout = cb_intacct_parse_datetime (response->session_timeout);
  if (timeout == NULL)
    return;
  g_clear_pointer (&self->session_timeout, g_date_time_unref);
  self->session_timeout = timeout;
}

static void
clear_session_locked (CbIntacctClient *self)
{
  cb_clear_secret (&self->session_id);
  g_clear_pointer (&self->session_endpoint, g_free);
  g_clear_pointer (&self->session_timeout, g_date_time_unref);
}

/* getAPISession for @entity_id, authenticated with @session_id at @url, or by login at the
 * first endpoint when @session_id is NULL. Replaces the client's session. */
static gboolean
open_session (CbIntacctClient  *self,
              const char       *entity_id,
              const char       *session_id,
              const char       *url,
              GCancellable     *cancellable,
              GError          **error)
{
  g_autoptr(CbIntacctRequest) request = new_request (self);
  g_autoptr(CbIntacctResponse) response = NULL;
  CbIntacctFunction *function;
  CbIntacctResult *result;
  CbIntacctRecord *api = NULL;
  const char *new_id, *new_endpoint;
  g_autofree char *control_id = NULL;

  if (session_id != NULL)
    {
      request->auth_kind = CB_INTACCT_AUTH_SESSION;
      request->session_id = g_strdup (session_id);
    }
  else
    {
      set_login (self, request, entity_id);
      url = login_endpoint (self);
    }

  /* getAPISession always travels alone; an empty locationid asks for the top level. */
  function = cb_intacct_function_get_api_session (NULL, entity_id != NULL ? entity_id : "");
  control_id = g_strdup (cb_intacct_function_get_control_id (function));
  cb_intacct_request_add_function (request, function);

  response = send_request (self, url, request, cancellable, error);
  if (response == NULL)
    return FALSE;

  result = cb_intacct_response_find_result (response, control_id);
  if (result == NULL)
    {
      set_simple_error (error, CB_INTACCT_ERROR_MALFORMED_REPLY, 0,
                        _("Intacct's reply to the sign-in has no result."));
      return FALSE;
    }
  if (!cb_intacct_result_check (result, error))
    return FALSE;

  if (result->records != NULL && result->records->len > 0)
    api = g_ptr_array_index (result->records, 0);
  new_id = api != NULL ? cb_intacct_record_get_field (api, "sessionid") : NULL;
  new_endpoint = api != NULL ? cb_intacct_record_get_field (api, "endpoint") : NULL;
  if (new_id == NULL || *new_id == '\0')
    {
      set_simple_error (error, CB_INTACCT_ERROR_MALFORMED_REPLY, 0,
                        _("Intacct did not return a session."));
      return FALSE;
    }
  if (new_endpoint == NULL || *new_endpoint == '\0')
    new_endpoint = url;
  /* A tampered endpoint must never receive the session. */
  if (!cb_intacct_endpoint_is_allowed (new_endpoint, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  clear_session_locked (self);
  self->session_id = g_strdup (new_id);
  self->session_endpoint = g_strdup (new_endpoint);
  g_free (self->entity_id);
  self->entity_id = g_strdup (entity_id != NULL ? entity_id : "");
  update_session_timeout_locked (self, response);
  self->session_generation++;
  g_mutex_unlock (&self->lock);

  g_debug ("Session opened for entity '%s'", entity_id != NULL ? entity_id : "");
  return TRUE;
}

static char *
dup_current_entity (CbIntacctClient *self)
{
  char *entity;

  g_mutex_lock (&self->lock);
  entity = g_strdup (self->entity_id);
  g_mutex_unlock (&self->lock);
  return entity;
}

static gboolean
reconnect (CbIntacctClient  *self,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autofree char *entity = dup_current_entity (self);

  return open_session (self, entity, NULL, NULL, cancellable, error);
}

/* Copies the session to use, connecting or refreshing it first when needed. */
static gboolean
get_session (CbIntacctClient  *self,
             char            **session_id,
             char            **endpoint,
             guint            *generation,
             GCancellable     *cancellable,
             GError          **error)
{
  gboolean usable;

  g_mutex_lock (&self->lock);
  usable = self->session_id != NULL;
  if (usable && self->session_timeout != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan left = g_date_time_difference (self->session_timeout, now);

      /* Refresh ahead of time rather than have a request refused. */
      usable = left > SESSION_REFRESH_MARGIN_S * G_TIME_SPAN_SECOND;
    }
  g_mutex_unlock (&self->lock);

  if (!usable && !reconnect (self, cancellable, error))
    return FALSE;

  /* A session just opened is used whatever its timeout says. */
  g_mutex_lock (&self->lock);
  usable = self->session_id != NULL;
  if (usable)
    {
      *session_id = g_strdup (self->session_id);
      *endpoint = g_strdup (self->session_endpoint);
      *generation = self->session_generation;
    }
  g_mutex_unlock (&self->lock);

  if (!usable)
    set_simple_error (error, CB_INTACCT_ERROR_SESSION_INVALID, 0,
                      _("Could not keep a session with Intacct."));
  return usable;
}

/* }}} */
/* {{{ GObject */

static void
cb_intacct_client_finalize (GObject *object)
{
  CbIntacctClient *self = CB_INTACCT_CLIENT (object);

  g_clear_object (&self->soup);
  clear_session_locked (self);
  g_clear_pointer (&self->entity_id, g_free);
  g_clear_pointer (&self->credentials, cb_intacct_credentials_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cb_intacct_client_parent_class)->finalize (object);
}

static void
cb_intacct_client_class_init (CbIntacctClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_intacct_client_finalize;
}

static void
cb_intacct_client_init (CbIntacctClient *self)
{
  g_mutex_init (&self->lock);
  self->timeout_s = DEFAULT_TIMEOUT_S;
  self->max_retries = DEFAULT_MAX_RETRIES;
  self->retry_delay_ms = DEFAULT_RETRY_DELAY_MS;
  self->max_in_flight = 1;
}

/* }}} */
/* {{{ Public API */

CbIntacctClient *
cb_intacct_client_new (const CbIntacctCredentials *credentials,
                       GError                    **error)
{
  g_autoptr(CbIntacctClient) self = NULL;
  const char *endpoint;

  g_return_val_if_fail (credentials != NULL, NULL);

  endpoint = credentials->endpoint != NULL ? credentials->endpoint : CB_INTACCT_DEFAULT_ENDPOINT;
  if (!cb_intacct_endpoint_is_allowed (endpoint, error))
    return NULL;
  if (credentials->sender_id == NULL || credentials->company_id == NULL ||
      credentials->user_id == NULL || *credentials->company_id == '\0')
    {
      cb_intacct_set_error (error, CB_INTACCT_ERROR_AUTH_FAILED, CB_INTACCT_LEVEL_TRANSPORT, 0,
                            NULL, NULL, _("The sender, company and user IDs are required."));
      return NULL;
    }

  self = g_object_new (CB_TYPE_INTACCT_CLIENT, NULL);
  self->credentials = cb_intacct_credentials_copy (credentials);
  self->entity_id = g_strdup (credentials->entity_id != NULL ? credentials->entity_id : "");
  /* TLS is verified with libsoup's defaults (the system's trust database). */
  self->soup = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                              "timeout", self->timeout_s,
                                              NULL);
  if (!soup_session_has_feature (self->soup, SOUP_TYPE_CONTENT_DECODER))
    soup_session_add_feature_by_type (self->soup, SOUP_TYPE_CONTENT_DECODER);
  return g_steal_pointer (&self);
}

void
cb_intacct_client_set_timeout (CbIntacctClient *self,
                               guint            seconds)
{
  g_return_if_fail (CB_IS_INTACCT_CLIENT (self));

  self->timeout_s = seconds;
  soup_session_set_timeout (self->soup, seconds);
}

void
cb_intacct_client_set_max_retries (CbIntacctClient *self,
                                   guint            max_retries)
{
  g_return_if_fail (CB_IS_INTACCT_CLIENT (self));

  self->max_retries = max_retries;
}

void
cb_intacct_client_set_retry_delay (CbIntacctClient *self,
                                   guint            milliseconds)
{
  g_return_if_fail (CB_IS_INTACCT_CLIENT (self));

  self->retry_delay_ms = milliseconds;
}

void
cb_intacct_client_set_max_in_flight (CbIntacctClient *self,
                                     guint            max_in_flight)
{
  g_return_if_fail (CB_IS_INTACCT_CLIENT (self));
  g_return_if_fail (max_in_flight > 0);

  self->max_in_flight = max_in_flight;
}

gboolean
cb_intacct_client_connect (CbIntacctClient  *self,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), FALSE);

  return open_session (self, self->credentials->entity_id, NULL, NULL, cancellable, error);
}

gboolean
cb_intacct_client_switch_entity (CbIntacctClient  *self,
                                 const char       *entity_id,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_autofree char *session_id = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), FALSE);

  if (entity_id == NULL)
    entity_id = "";

  g_mutex_lock (&self->lock);
  session_id = g_strdup (self->session_id);
  endpoint = g_strdup (self->session_endpoint);
  g_mutex_unlock (&self->lock);

  if (session_id == NULL)
    return open_session (self, entity_id, NULL, NULL, cancellable, error);

  if (open_session (self, entity_id, session_id, endpoint, cancellable, &local))
    return TRUE;
  if (!g_error_matches (local, CB_INTACCT_ERROR, CB_INTACCT_ERROR_SESSION_INVALID))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* The session is gone: sign in again, straight into the new entity. */
  return open_session (self, entity_id, NULL, NULL, cancellable, error);
}

gboolean
cb_intacct_client_is_connected (CbIntacctClient *self)
{
  gboolean connected;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), FALSE);

  g_mutex_lock (&self->lock);
  connected = self->session_id != NULL;
  g_mutex_unlock (&self->lock);
  return connected;
}

char *
cb_intacct_client_dup_entity_id (CbIntacctClient *self)
{
  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), NULL);

  return dup_current_entity (self);
}

char *
cb_intacct_client_dup_session_endpoint (CbIntacctClient *self)
{
  char *endpoint;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), NULL);

  g_mutex_lock (&self->lock);
  endpoint = g_strdup (self->session_endpoint);
  g_mutex_unlock (&self->lock);
  return endpoint;
}

GDateTime *
cb_intacct_client_dup_session_timeout (CbIntacctClient *self)
{
  GDateTime *timeout;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), NULL);

  g_mutex_lock (&self->lock);
  timeout = self->session_timeout != NULL ? g_date_time_ref (self->session_timeout) : NULL;
  g_mutex_unlock (&self->lock);
  return timeout;
}

CbIntacctResponse *
cb_intacct_client_execute (CbIntacctClient      *self,
                           GPtrArray            *functions,
                           CbIntacctExecuteFlags flags,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), NULL);
  g_return_val_if_fail (functions != NULL && functions->len > 0, NULL);

  for (guint attempt = 0;; attempt++)
    {
      g_autofree char *session_id = NULL;
      g_autofree char *endpoint = NULL;
      g_autoptr(CbIntacctRequest) request = NULL;
      g_autoptr(GError) local = NULL;
      CbIntacctResponse *response;
      guint generation = 0;

      if (!get_session (self, &session_id, &endpoint, &generation, cancellable, error))
        return NULL;

      request = new_request (self);
      request->unique_id = (flags & CB_INTACCT_EXECUTE_UNIQUE) != 0;
      request->transaction = (flags & CB_INTACCT_EXECUTE_TRANSACTION) != 0;
      request->auth_kind = CB_INTACCT_AUTH_SESSION;
      request->session_id = g_steal_pointer (&session_id);
      for (guint i = 0; i < functions->len; i++)
        cb_intacct_request_add_function (request,
                                         cb_intacct_function_ref (g_ptr_array_index (functions, i)));

      response = send_request (self, endpoint, request, cancellable, &local);
      if (response != NULL)
        {
          g_mutex_lock (&self->lock);
          if (self->session_generation == generation)
            update_session_timeout_locked (self, response);
          g_mutex_unlock (&self->lock);
          return response;
        }

      /* Nothing ran after an authentication failure: sign in again once, resend as is. */
      if (attempt == 0 &&
          g_error_matches (local, CB_INTACCT_ERROR, CB_INTACCT_ERROR_SESSION_INVALID))
        {
          gboolean stale;

          g_debug ("The session was refused; signing in again");
          g_mutex_lock (&self->lock);
          stale = self->session_generation == generation;
          if (stale)
            clear_session_locked (self);
          g_mutex_unlock (&self->lock);
          continue;
        }

      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
}

GPtrArray *
cb_intacct_client_call (CbIntacctClient   *self,
                        CbIntacctFunction *function,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_autoptr(GPtrArray) functions = NULL;
  g_autoptr(CbIntacctResponse) response = NULL;
  CbIntacctResult *result;
  GPtrArray *records;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), NULL);
  g_return_val_if_fail (function != NULL, NULL);

  functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
  g_ptr_array_add (functions, cb_intacct_function_ref (function));

  response = cb_intacct_client_execute (self, functions,
                                        cb_intacct_function_is_write (function)
                                          ? CB_INTACCT_EXECUTE_UNIQUE
                                          : CB_INTACCT_EXECUTE_NONE,
                                        cancellable, error);
  if (response == NULL)
    return NULL;

  result = cb_intacct_response_find_result (response, cb_intacct_function_get_control_id (function));
  if (result == NULL)
    {
      set_simple_error (error, CB_INTACCT_ERROR_MALFORMED_REPLY, 0,
                        _("Intacct's reply has no result for the request."));
      return NULL;
    }
  if (!cb_intacct_result_check (result, error))
    return NULL;

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  for (guint i = 0; result->records != NULL && i < result->records->len; i++)
    g_ptr_array_add (records, cb_intacct_record_ref (g_ptr_array_index (result->records, i)));
  return records;
}


typedef CbIntacctFunction *(*WriteBuilder) (const char *control_id,
                                            GPtrArray  *objects);

static GPtrArray *
run_writes (CbIntacctClient    *self,
            WriteBuilder        builder,
            GPtrArray          *objects,
            const char * const *control_ids,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(GPtrArray) functions = NULL;
  g_autoptr(CbIntacctResponse) response = NULL;
  GPtrArray *results;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), NULL);
  g_return_val_if_fail (objects != NULL && objects->len > 0, NULL);
  g_return_val_if_fail (control_ids == NULL || g_strv_length ((char **) control_ids) >= objects->len,
                        NULL);

  functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
  for (guint i = 0; i < objects->len; i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);

      g_ptr_array_add (one, cb_intacct_record_ref (g_ptr_array_index (objects, i)));
      g_ptr_array_add (functions, builder (control_ids != NULL ? control_ids[i] : NULL, one));
    }

  response = cb_intacct_client_execute (self, functions, CB_INTACCT_EXECUTE_UNIQUE,
                                        cancellable, error);
  if (response == NULL)
    return NULL;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_result_free);
  for (guint i = 0; i < functions->len; i++)
    {
      const char *control_id = cb_intacct_function_get_control_id (g_ptr_array_index (functions, i));
      CbIntacctResult *result = cb_intacct_response_find_result (response, control_id);

      if (result == NULL)
        {
          g_ptr_array_unref (results);
          set_simple_error (error, CB_INTACCT_ERROR_MALFORMED_REPLY, 0,
                            _("Intacct's reply is missing the result of a change."));
          return NULL;
        }
      g_ptr_array_add (results, cb_intacct_result_copy (result));
    }
  return results;
}

GPtrArray *
cb_intacct_client_create (CbIntacctClient    *self,
                          GPtrArray          *objects,
                          const char * const *control_ids,
                          GCancellable       *cancellable,
                          GError            **error)
{
  return run_writes (self, cb_intacct_function_create, objects, control_ids, cancellable, error);
}

GPtrArray *
cb_intacct_client_update (CbIntacctClient    *self,
                          GPtrArray          *objects,
                          const char * const *control_ids,
                          GCancellable       *cancellable,
                          GError            **error)
{
  return run_writes (self, cb_intacct_function_update, objects, control_ids, cancellable, error);
}

gboolean
cb_intacct_client_delete (CbIntacctClient    *self,
                          const char         *object,
                          const char * const *record_nos,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(CbIntacctFunction) function = NULL;
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), FALSE);
  g_return_val_if_fail (object != NULL && record_nos != NULL && record_nos[0] != NULL, FALSE);

  function = cb_intacct_function_delete (NULL, object, record_nos);
  records = cb_intacct_client_call (self, function, cancellable, error);
  return records != NULL;
}

static CbIntacctRecord *
make_entity (const char *location_id,
             const char *name,
             const char *record_no)
{
  CbIntacctRecord *entity = cb_intacct_record_new ("LOCATIONENTITY");

  cb_intacct_record_add_field (entity, "LOCATIONID", location_id);
  cb_intacct_record_add_field (entity, "NAME", name != NULL ? name : location_id);
  cb_intacct_record_add_field (entity, "RECORDNO", record_no);
  return entity;
}

/* readEntityDetails answers <entity><id/><name/><recordno/>…</entity>. */
static GPtrArray *
normalise_entity_details (GPtrArray *records)
{
  GPtrArray *entities = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);

  for (guint i = 0; i < records->len; i++)
    {
      CbIntacctRecord *record = g_ptr_array_index (records, i);
      const char *id = cb_intacct_record_get_field (record, "id");

      if (id == NULL)
        id = cb_intacct_record_get_field (record, "LOCATIONID");
      if (id == NULL || *id == '\0')
        continue;
      g_ptr_array_add (entities,
                       make_entity (id,
                                    cb_intacct_record_get_field (record, "name"),
                                    cb_intacct_record_has_field (record, "recordno")
                                      ? cb_intacct_record_get_field (record, "recordno")
                                      : cb_intacct_record_get_field (record, "RECORDNO")));
    }
  return entities;
}

GPtrArray *
cb_intacct_client_list_entities (CbIntacctClient  *self,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_autoptr(CbIntacctFunction) details = NULL;
  g_autoptr(CbIntacctFunction) query = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) entities = NULL;
  g_autoptr(GError) local = NULL;
  static const char * const select[] = { "LOCATIONID", "NAME", "RECORDNO", NULL };

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), NULL);

  details = cb_intacct_function_read_entity_details (NULL);
  records = cb_intacct_client_call (self, details, cancellable, &local);
  if (records != NULL)
    {
      entities = normalise_entity_details (records);
      if (entities->len > 0)
        return g_steal_pointer (&entities);
    }
  else
    {
      const CbIntacctErrorPrivate *info = cb_intacct_error_get_details (local);

      /* Only a failure of the function itself (unknown function, no permission…) calls
       * for the fallback; transport or session trouble would fail it the same way. */
      if (info == NULL || info->level != CB_INTACCT_LEVEL_RESULT)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      g_debug ("readEntityDetails failed: %s", local->message);
    }

  g_debug ("readEntityDetails gave nothing usable; querying LOCATIONENTITY");
  g_clear_pointer (&records, g_ptr_array_unref);
  query = cb_intacct_function_query (NULL, "LOCATIONENTITY", select, NULL, "RECORDNO", FALSE,
                                     2000, 0, FALSE, FALSE);
  records = cb_intacct_client_call (self, query, cancellable, error);
  if (records == NULL)
    return NULL;

  entities = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  for (guint i = 0; i < records->len; i++)
    {
      CbIntacctRecord *record = g_ptr_array_index (records, i);
      const char *id = cb_intacct_record_get_field (record, "LOCATIONID");

      if (id == NULL || *id == '\0')
        continue;
      g_ptr_array_add (entities, make_entity (id, cb_intacct_record_get_field (record, "NAME"),
                                              cb_intacct_record_get_field (record, "RECORDNO")));
    }
  return g_steal_pointer (&entities);
}

guint
cb_intacct_client_get_request_count (CbIntacctClient *self)
{
  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), 0);

  return g_atomic_int_get (&self->request_count);
}

guint
cb_intacct_client_get_retry_count (CbIntacctClient *self)
{
  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (self), 0);

  return g_atomic_int_get (&self->retry_count);
}

/* }}} */
