/* test-intacct-client.c: the Intacct client and pager, against a canned loopback server
 * and against the sandbox gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-intacct-client"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cb-intacct-client.h"
#include "cb-intacct-objects.h"
#include "cb-intacct-pager.h"
#include "cb-sandbox.h"

#define CANNED_SESSION_ID "SeSsIoN-7f3a9c-secret"
#define CANNED_USER_SECRET "canned-user-pw-91"
#define CANNED_SENDER_SECRET "canned-sender-pw-37"

/* {{{ Secrets must never reach an error message */

static void
assert_no_secret (const GError *error,
                  const char   *session_id)
{
  const char *secrets[] = {
    CANNED_SESSION_ID, CANNED_USER_SECRET, CANNED_SENDER_SECRET,
    CB_SANDBOX_USER_SECRET, CB_SANDBOX_SENDER_SECRET, session_id,
  };

  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (secrets[i] != NULL && *secrets[i] != '\0')
      g_assert_null (strstr (error->message, secrets[i]));
}

static gsize n_client_log_lines;
static gboolean show_debug;

/* Every log line of the client (debug included) is checked for secrets. */
static GLogWriterOutput
check_log_writer (GLogLevelFlags   level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;
  const char *secrets[] = {
    CANNED_SESSION_ID, CANNED_USER_SECRET, CANNED_SENDER_SECRET,
    CB_SANDBOX_USER_SECRET, CB_SANDBOX_SENDER_SECRET,
  };

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        message = fields[i].value;
    }
  if (domain != NULL && message != NULL && g_str_has_prefix (domain, "cb-intacct"))
    {
      g_atomic_pointer_add (&n_client_log_lines, 1);
      for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
        if (strstr (message, secrets[i]) != NULL)
          {
            g_printerr ("Bail out! A secret reached a log line of %s\n", domain);
            abort ();
          }
    }
  /* Debug lines were switched on here to be checked; shown only when asked for, and then
   * as TAP comments. */
  if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0)
    {
      if (show_debug && message != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (message, "\n", -1);

          for (guint i = 0; lines[i] != NULL; i++)
            g_print ("# %s: %s\n", domain != NULL ? domain : "", lines[i]);
        }
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* }}} */
/* {{{ A canned gateway on loopback */

typedef enum
{
  CANNED_REPLY,        /* a normal gateway reply */
  CANNED_STATUS,       /* @status with @body and @content_type */
  CANNED_DROP,         /* close the connection without a reply */
  CANNED_SESSION_GONE, /* an authentication failure for a session request */
} CannedKind;

typedef struct
{
  CannedKind kind;
  guint      status;
  char      *content_type;
  char      *body;
  char      *retry_after;
  guint      delay_ms;
} Canned;

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *endpoint;

  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  GQueue        canned;          /* Canned*, consumed one per request */
  GPtrArray    *bodies;          /* every request body, in order */
  GPtrArray    *delays;          /* GSource*, the replies held back (server thread only) */
  GTlsCertificate *certificate;  /* serve https with it, or NULL */
  char         *api_endpoint;    /* what getAPISession hands out; NULL: ours */
  gboolean      no_entity_details; /* readEntityDetails fails as if not permitted */
  guint         session_lifetime_s;
  guint         logins;
  guint         in_flight;
  guint         max_in_flight;
} Loopback;

static void
canned_free (Canned *canned)
{
  g_free (canned->content_type);
  g_free (canned->body);
  g_free (canned->retry_after);
  g_free (canned);
}

static void
loopback_push (Loopback   *lb,
               CannedKind  kind,
               guint       status,
               const char *content_type,
               const char *body,
               guint       delay_ms)
{
  Canned *canned = g_new0 (Canned, 1);

  canned->kind = kind;
  canned->status = status;
  canned->content_type = g_strdup (content_type);
  canned->body = g_strdup (body);
  canned->delay_ms = delay_ms;
  g_mutex_lock (&lb->lock);
  g_queue_push_tail (&lb->canned, canned);
  g_mutex_unlock (&lb->lock);
}

static void
loopback_push_delay (Loopback *lb,
                     guint     delay_ms)
{
  loopback_push (lb, CANNED_REPLY, 0, NULL, NULL, delay_ms);
}

static char *
iso_in (guint seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%S+00:00");
}

/* A reply echoing every function of @request, as the gateway answers. */
static char *
build_reply (Loopback   *lb,
             const char *request,
             gboolean    session_gone)
{
  g_autoptr(GRegex) regex = g_regex_new ("<function controlid=\"([^\"]*)\"><([A-Za-z_]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *timeout = iso_in (lb->session_lifetime_s);
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><response><control>"
                               "<status>success</status><senderid>costbridge</senderid>"
                               "<controlid>c</controlid><uniqueid>false</uniqueid>"
                               "<dtdversion>3.0</dtdversion></control><operation>");

  if (session_gone)
    {
      g_string_append (out, "<authentication><status>failure</status><userid>u</userid>"
                            "<companyid>c</companyid></authentication><errormessage><error>"
                            "<errorno>XL03000006</errorno><description></description>"
                            "<description2>Invalid session</description2><correction></correction>"
                            "</error></errormessage></operation></response>");
      return g_string_free (out, FALSE);
    }

  g_string_append_printf (out, "<authentication><status>success</status><userid>u</userid>"
                               "<companyid>c</companyid><locationid></locationid>"
                               "<sessiontimestamp>2026-01-01T00:00:00+00:00</sessiontimestamp>"
                               "<sessiontimeout>%s</sessiontimeout></authentication>", timeout);

  g_regex_match (regex, request, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *control_id = g_match_info_fetch (match, 1);
      g_autofree char *function = g_match_info_fetch (match, 2);

      if (g_str_equal (function, "readEntityDetails") && lb->no_entity_details)
        {
          g_string_append_printf (out, "<result><status>failure</status><function>%s</function>"
                                       "<controlid>%s</controlid><errormessage><error>"
                                       "<errorno>XL03000004</errorno><description></description>"
                                       "<description2>You do not have permission for API "
                                       "operation readEntityDetails</description2><correction>"
                                       "</correction></error></errormessage></result>",
                                  function, control_id);
          g_match_info_next (match, NULL);
          continue;
        }
      g_string_append_printf (out, "<result><status>success</status><function>%s</function>"
                                   "<controlid>%s</controlid>", function, control_id);
      if (g_str_equal (function, "readEntityDetails"))
        g_string_append (out, "<data listtype=\"entity\" count=\"1\"><entity><id>E1</id>"
                              "<name>Entity One</name><recordno>11</recordno>"
                              "<currency>USD</currency></entity></data>");
      else if (g_str_equal (function, "query") && strstr (request, "LOCATIONENTITY") != NULL)
        g_string_append (out, "<data listtype=\"LOCATIONENTITY\" totalcount=\"2\" offset=\"0\" "
                              "count=\"2\" numremaining=\"0\"><LOCATIONENTITY><LOCATIONID>E1"
                              "</LOCATIONID><NAME>Entity One</NAME><RECORDNO>11</RECORDNO>"
                              "</LOCATIONENTITY><LOCATIONENTITY><LOCATIONID>E2</LOCATIONID>"
                              "<NAME>Entity Two</NAME><RECORDNO>12</RECORDNO></LOCATIONENTITY>"
                              "</data>");
      else if (g_str_equal (function, "getAPISession"))
        g_string_append_printf (out, "<data><api><sessionid>%s</sessionid><endpoint>%s</endpoint>"
                                     "<locationid></locationid></api></data>",
                                CANNED_SESSION_ID,
                                lb->api_endpoint != NULL ? lb->api_endpoint : lb->endpoint);
      else if (g_str_equal (function, "readByQuery"))
        g_string_append (out, "<data listtype=\"vendor\" count=\"1\" totalcount=\"1\" numremaining=\"0\" "
                              "resultId=\"\"><vendor><RECORDNO>1</RECORDNO><VENDORID>V1</VENDORID>"
                              "</vendor></data>");
      else if (g_str_equal (function, "create"))
        g_string_append (out, "<data listtype=\"objects\" count=\"1\"><vendor><RECORDNO>9</RECORDNO>"
                              "<VENDORID>V9</VENDORID></vendor></data>");
      g_string_append (out, "</result>");
      g_match_info_next (match, NULL);
    }
  g_string_append (out, "</operation></response>");
  return g_string_free (out, FALSE);
}

typedef struct
{
  Loopback          *lb;
  SoupServerMessage *msg;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_object_unref (delayed->msg);
  g_free (delayed);
}

static gboolean
on_delay_done_cb (gpointer data)
{
  Delayed *delayed = data;

  g_mutex_lock (&delayed->lb->lock);
  delayed->lb->in_flight--;
  g_mutex_unlock (&delayed->lb->lock);
  soup_server_message_unpause (delayed->msg);
  return G_SOURCE_REMOVE;
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Loopback *lb = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (request_body);
  g_autofree char *text = g_strndup (g_bytes_get_data (flat, NULL), g_bytes_get_size (flat));
  g_autofree char *reply = NULL;
  Canned *canned;
  gboolean is_session = strstr (text, "<sessionid>") != NULL;

  g_mutex_lock (&lb->lock);
  g_ptr_array_add (lb->bodies, g_strdup (text));
  canned = g_queue_pop_head (&lb->canned);
  if (strstr (text, "<login>") != NULL)
    lb->logins++;
  g_mutex_unlock (&lb->lock);

  if (canned == NULL || canned->kind == CANNED_REPLY)
    {
      gboolean gone = is_session && strstr (text, CANNED_SESSION_ID) == NULL;

      reply = build_reply (lb, text, gone);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, reply, strlen (reply));
    }
  else if (canned->kind == CANNED_SESSION_GONE)
    {
      reply = build_reply (lb, text, TRUE);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, reply, strlen (reply));
    }
  else if (canned->kind == CANNED_STATUS)
    {
      soup_server_message_set_status (msg, canned->status, NULL);
      if (canned->retry_after != NULL)
        soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                     "Retry-After", canned->retry_after);
      soup_server_message_set_response (msg, canned->content_type, SOUP_MEMORY_COPY,
                                        canned->body, canned->body ? strlen (canned->body) : 0);
    }
  else if (canned->kind == CANNED_DROP)
    {
      GIOStream *stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      canned_free (canned);
      return;
    }

  if (canned != NULL && canned->delay_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);
      GSource *source = g_timeout_source_new (canned->delay_ms);

      delayed->lb = lb;
      delayed->msg = g_object_ref (msg);
      g_mutex_lock (&lb->lock);
      lb->in_flight++;
      lb->max_in_flight = MAX (lb->max_in_flight, lb->in_flight);
      g_mutex_unlock (&lb->lock);
      soup_server_message_pause (msg);
      g_source_set_callback (source, on_delay_done_cb, delayed, delayed_free);
      g_source_attach (source, lb->context);
      g_ptr_array_add (lb->delays, source);
    }
  g_clear_pointer (&canned, canned_free);
}

static gpointer
loopback_thread (gpointer data)
{
  Loopback *lb = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *base = NULL;

  g_main_context_push_thread_default (lb->context);
  lb->server = soup_server_new ("tls-certificate", lb->certificate, NULL);
  soup_server_add_handler (lb->server, "/ia/xml/xmlgw.phtml", on_request_cb, lb, NULL);
  soup_server_listen_local (lb->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY |
                            (lb->certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (lb->server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&lb->lock);
  lb->endpoint = g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", "ia/xml/xmlgw.phtml",
                              NULL);
  lb->ready = TRUE;
  g_cond_signal (&lb->cond);
  g_mutex_unlock (&lb->lock);

  g_main_loop_run (lb->loop);

  for (guint i = 0; i < lb->delays->len; i++)
    g_source_destroy (g_ptr_array_index (lb->delays, i));
  g_ptr_array_unref (lb->delays);
  soup_server_disconnect (lb->server);
  g_clear_object (&lb->server);
  /* Let pending sources of the server run down before the context goes. */
  while (g_main_context_iteration (lb->context, FALSE))
    ;
  g_main_context_pop_thread_default (lb->context);
  return NULL;
}

static Loopback *
loopback_new_full (GTlsCertificate *certificate)
{
  Loopback *lb = g_new0 (Loopback, 1);

  lb->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  g_mutex_init (&lb->lock);
  g_cond_init (&lb->cond);
  g_queue_init (&lb->canned);
  lb->bodies = g_ptr_array_new_with_free_func (g_free);
  lb->delays = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  lb->session_lifetime_s = 3600;
  lb->context = g_main_context_new ();
  lb->loop = g_main_loop_new (lb->context, FALSE);
  lb->thread = g_thread_new ("loopback", loopback_thread, lb);

  g_mutex_lock (&lb->lock);
  while (!lb->ready)
    g_cond_wait (&lb->cond, &lb->lock);
  g_mutex_unlock (&lb->lock);
  return lb;
}

static Loopback *
loopback_new (void)
{
  return loopback_new_full (NULL);
}

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
loopback_free (Loopback *lb)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, quit_loop_cb, lb->loop, NULL);
  g_source_attach (source, lb->context);
  g_source_unref (source);
  g_thread_join (lb->thread);

  g_main_loop_unref (lb->loop);
  g_main_context_unref (lb->context);
  g_queue_clear_full (&lb->canned, (GDestroyNotify) canned_free);
  g_ptr_array_unref (lb->bodies);
  g_free (lb->endpoint);
  g_free (lb->api_endpoint);
  g_clear_object (&lb->certificate);
  g_mutex_clear (&lb->lock);
  g_cond_clear (&lb->cond);
  g_free (lb);
}

static guint
loopback_n_requests (Loopback *lb)
{
  guint n;

  g_mutex_lock (&lb->lock);
  n = lb->bodies->len;
  g_mutex_unlock (&lb->lock);
  return n;
}

static char *
loopback_dup_body (Loopback *lb,
                   guint     index)
{
  char *body;

  g_mutex_lock (&lb->lock);
  g_assert_cmpuint (index, <, lb->bodies->len);
  body = g_strdup (g_ptr_array_index (lb->bodies, index));
  g_mutex_unlock (&lb->lock);
  return body;
}

static CbIntacctClient *
canned_client (Loopback *lb)
{
  g_autoptr(CbIntacctCredentials) credentials = cb_intacct_credentials_new ();
  g_autoptr(GError) error = NULL;
  CbIntacctClient *client;

  credentials->endpoint = g_strdup (lb->endpoint);
  credentials->sender_id = g_strdup ("costbridge");
  credentials->sender_password = g_strdup (CANNED_SENDER_SECRET);
  credentials->company_id = g_strdup ("canned-co");
  credentials->user_id = g_strdup ("canned-user");
  credentials->user_password = g_strdup (CANNED_USER_SECRET);
  client = cb_intacct_client_new (credentials, &error);
  g_assert_no_error (error);
  cb_intacct_client_set_retry_delay (client, 10);
  return client;
}

static GPtrArray *
read_functions (void)
{
  GPtrArray *functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);

  g_ptr_array_add (functions,
                   cb_intacct_function_read_by_query (NULL, "VENDOR", "RECORDNO,VENDORID", "", 10));
  return functions;
}

/* A read and a write in one request: only the write is unsure when things go wrong. */
static GPtrArray *
mixed_functions (void)
{
  GPtrArray *functions = read_functions ();
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  CbIntacctRecord *vendor = cb_intacct_record_new ("VENDOR");

  cb_intacct_record_add_field (vendor, "VENDORID", "V9");
  cb_intacct_record_add_field (vendor, "NAME", "Nine");
  g_ptr_array_add (objects, vendor);
  g_ptr_array_add (functions, cb_intacct_function_create (NULL, objects));
  return functions;
}

/* }}} */
/* {{{ Canned tests */

static void
test_endpoint_table (void)
{
  static const struct { const char *url; gboolean allowed; } table[] = {
    { "https://api.intacct.com/ia/xml/xmlgw.phtml", TRUE },
    { "https://na12.intacct.com/ia/xml/xmlgw.phtml", TRUE },
    { "https://intacct.com./ia/xml/xmlgw.phtml", TRUE },
    { "https://API.Intacct.COM/ia/xml/xmlgw.phtml", TRUE },
    { "https://api.intacct.com.:443/ia/xml/xmlgw.phtml", TRUE },
    { "http://127.0.0.1:8080/ia/xml/xmlgw.phtml", TRUE },
    { "https://127.0.0.1/ia/xml/xmlgw.phtml", TRUE },
    { "http://127.1.2.3:1/x", TRUE },
    { "http://[::1]:8080/ia/xml/xmlgw.phtml", TRUE },
    { "http://localhost:9000/ia/xml/xmlgw.phtml", TRUE },
    { "http://api.intacct.com/ia/xml/xmlgw.phtml", FALSE },          /* no TLS */
    { "https://intacct.com.evil.org/ia/xml/xmlgw.phtml", FALSE },
    { "https://evilintacct.com/ia/xml/xmlgw.phtml", FALSE },
    { "https://api.intacct.com.evil.org/", FALSE },
    { "https://api.intacct.com@evil.org/", FALSE },
    { "https://evil.org/api.intacct.com", FALSE },
    { "https://evil.org/?h=.intacct.com", FALSE },
    { "https://api%2eintacct.com/", FALSE },
    { "ftp://api.intacct.com/", FALSE },
    { "http://128.0.0.1/", FALSE },
    { "http://10.0.0.1/", FALSE },
    { "http://localhost.evil.org/", FALSE },
    { "https://intacct.com../", FALSE },
    { "api.intacct.com", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean allowed = cb_intacct_endpoint_is_allowed (table[i].url, &error);

      if (allowed != table[i].allowed)
        g_error ("%s: expected %s", table[i].url, table[i].allowed ? "allowed" : "refused");
      if (!allowed)
        g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_ENDPOINT_REFUSED);
      else
        g_assert_no_error (error);
    }

  {
    g_autoptr(CbIntacctCredentials) credentials = cb_intacct_credentials_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(CbIntacctClient) client = NULL;

    credentials->endpoint = g_strdup ("https://intacct.com.evil.org/ia/xml/xmlgw.phtml");
    credentials->sender_id = g_strdup ("s");
    credentials->company_id = g_strdup ("c");
    credentials->user_id = g_strdup ("u");
    client = cb_intacct_client_new (credentials, &error);
    g_assert_null (client);
    g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_ENDPOINT_REFUSED);
  }
}

static void
test_canned_session_reuse (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(GDateTime) timeout = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) functions = read_functions ();
      g_autoptr(CbIntacctResponse) response = cb_intacct_client_execute (client, functions, 0, NULL,
                                                                         &error);
      g_assert_no_error (error);
      g_assert_nonnull (response);
    }
  g_assert_true (cb_intacct_client_is_connected (client));
  g_assert_cmpuint (lb->logins, ==, 1);
  g_assert_cmpuint (loopback_n_requests (lb), ==, 4);
  g_assert_cmpuint (cb_intacct_client_get_request_count (client), ==, 4);

  /* The login carries the credentials; later requests only the session. */
  first = loopback_dup_body (lb, 0);
  g_assert_nonnull (strstr (first, "<getAPISession"));
  g_assert_nonnull (strstr (first, CANNED_USER_SECRET));
  second = loopback_dup_body (lb, 1);
  g_assert_null (strstr (second, CANNED_USER_SECRET));
  g_assert_nonnull (strstr (second, CANNED_SESSION_ID));
  g_assert_null (strstr (second, "<getAPISession"));

  endpoint = cb_intacct_client_dup_session_endpoint (client);
  g_assert_cmpstr (endpoint, ==, lb->endpoint);
  timeout = cb_intacct_client_dup_session_timeout (client);
  g_assert_nonnull (timeout);

  /* The requests were logged (with the secrets masked: see check_log_writer()). */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "cb-intacct-client"))
    g_assert_cmpuint (g_atomic_pointer_get (&n_client_log_lines), >=, 4);

  g_clear_object (&client);
  loopback_free (lb);
}

static void
test_canned_session_refresh (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;

  /* A session that ends in 30 s is renewed before each use. */
  lb->session_lifetime_s = 30;
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) functions = read_functions ();
      g_autoptr(CbIntacctResponse) response = cb_intacct_client_execute (client, functions, 0, NULL,
                                                                         &error);
      g_assert_no_error (error);
      g_assert_nonnull (response);
    }
  g_assert_cmpuint (lb->logins, ==, 3);

  g_clear_object (&client);
  loopback_free (lb);
}

static void
test_canned_session_invalid (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) functions = mixed_functions ();
  g_autoptr(CbIntacctResponse) response = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *resent = NULL;
  const char *write_id = cb_intacct_function_get_control_id (g_ptr_array_index (functions, 1));

  g_assert_true (cb_intacct_client_connect (client, NULL, &error));
  g_assert_no_error (error);

  /* The session is refused once: sign in again and send the very same functions. */
  loopback_push (lb, CANNED_SESSION_GONE, 0, NULL, NULL, 0);
  response = cb_intacct_client_execute (client, functions, CB_INTACCT_EXECUTE_UNIQUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (lb->logins, ==, 2);
  g_assert_cmpuint (loopback_n_requests (lb), ==, 4);
  refused = loopback_dup_body (lb, 1);
  resent = loopback_dup_body (lb, 3);
  g_assert_nonnull (strstr (refused, write_id));
  g_assert_nonnull (strstr (resent, write_id));
  g_assert_nonnull (strstr (resent, "<uniqueid>true</uniqueid>"));
  g_clear_pointer (&response, cb_intacct_response_free);

  /* Refused again after signing in again: report it, do not loop. */
  loopback_push (lb, CANNED_SESSION_GONE, 0, NULL, NULL, 0);
  loopback_push (lb, CANNED_REPLY, 0, NULL, NULL, 0);
  loopback_push (lb, CANNED_SESSION_GONE, 0, NULL, NULL, 0);
  response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_SESSION_INVALID);
  assert_no_secret (error, NULL);
  g_assert_cmpuint (lb->logins, ==, 3);

  g_clear_object (&client);
  loopback_free (lb);
}

static void
test_canned_tampered_endpoint (void)
{
  static const char *endpoints[] = {
    "https://intacct.com.evil.org/ia/xml/xmlgw.phtml",
    "http://na12.intacct.com/ia/xml/xmlgw.phtml",
    "https://evilintacct.com/ia/xml/xmlgw.phtml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      Loopback *lb = loopback_new ();
      g_autoptr(CbIntacctClient) client = canned_client (lb);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) functions = read_functions ();
      g_autoptr(CbIntacctResponse) response = NULL;

      lb->api_endpoint = g_strdup (endpoints[i]);
      response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
      g_assert_null (response);
      g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_ENDPOINT_REFUSED);
      assert_no_secret (error, NULL);
      g_assert_false (cb_intacct_client_is_connected (client));
      /* Only the login went out. */
      g_assert_cmpuint (cb_intacct_client_get_request_count (client), ==, 1);

      g_clear_object (&client);
      loopback_free (lb);
    }
}

static void
test_canned_http_errors (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctResponse) response = NULL;
  g_autoptr(GPtrArray) functions = read_functions ();
  const CbIntacctErrorPrivate *details;
  const char *xml401 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><response><control>"
                       "<status>failure</status></control><errormessage><error>"
                       "<errorno>XMLGW_JPP0002</errorno><description>Sign-in information is "
                       "incorrect. Please check your request.</description></error>"
                       "</errormessage></response>";

  /* 401 with an XML body is read like any reply. */
  loopback_push (lb, CANNED_STATUS, 401, "text/xml", xml401, 0);
  g_assert_false (cb_intacct_client_connect (client, NULL, &error));
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_AUTH_FAILED);
  assert_no_secret (error, NULL);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 0);
  g_clear_error (&error);

  /* 4xx that is not XML: the status, no retry. */
  g_assert_true (cb_intacct_client_connect (client, NULL, &error));
  loopback_push (lb, CANNED_STATUS, 403, "text/html", "<html>Forbidden</html>", 0);
  response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_OTHER);
  details = cb_intacct_error_get_details (error);
  g_assert_cmpuint (details->http_status, ==, 403);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 0);
  assert_no_secret (error, NULL);
  g_clear_error (&error);

  /* A redirect is not followed: the body holds credentials. */
  loopback_push (lb, CANNED_STATUS, 307, "text/plain", "moved", 0);
  response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_OTHER);
  g_clear_error (&error);

  g_clear_object (&client);
  loopback_free (lb);
}

static void
test_canned_retries_reads (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) functions = read_functions ();
  g_autoptr(CbIntacctResponse) response = NULL;
  guint before;

  g_assert_true (cb_intacct_client_connect (client, NULL, &error));
  before = loopback_n_requests (lb);

  /* Every kind of trouble is retried for a read, and the read then succeeds. */
  loopback_push (lb, CANNED_STATUS, 500, "text/plain", "oops", 0);
  loopback_push (lb, CANNED_STATUS, 502, "text/plain", "bad gateway", 0);
  loopback_push (lb, CANNED_STATUS, 503, "text/plain", "unavailable", 0);
  loopback_push (lb, CANNED_STATUS, 524, "text/plain", "timeout", 0);
  loopback_push (lb, CANNED_DROP, 0, NULL, NULL, 0);
  response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 5);
  g_assert_cmpuint (loopback_n_requests (lb) - before, ==, 6);
  g_clear_pointer (&response, cb_intacct_response_free);

  /* A body that does not parse is retried too; out of retries it is reported. */
  cb_intacct_client_set_max_retries (client, 2);
  for (guint i = 0; i < 3; i++)
    loopback_push (lb, CANNED_STATUS, 200, "text/xml", "<response><control><sta", 0);
  response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_MALFORMED_REPLY);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 7);
  g_clear_error (&error);

  /* 5xx until the retries run out: SERVER. */
  for (guint i = 0; i < 3; i++)
    loopback_push (lb, CANNED_STATUS, 503, "text/plain", "unavailable", 0);
  response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_SERVER);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 9);
  assert_no_secret (error, NULL);

  g_clear_object (&client);
  loopback_free (lb);
}

static void
assert_unsure_is_write (const GError *error,
                        GPtrArray    *functions)
{
  const CbIntacctErrorPrivate *details = cb_intacct_error_get_details (error);

  g_assert_nonnull (details);
  g_assert_nonnull (details->unsure_control_ids);
  g_assert_cmpuint (g_strv_length (details->unsure_control_ids), ==, 1);
  g_assert_cmpstr (details->unsure_control_ids[0], ==,
                   cb_intacct_function_get_control_id (g_ptr_array_index (functions, 1)));
}

static void
test_canned_writes_unsure (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) functions = mixed_functions ();
  struct { CannedKind kind; guint status; const char *type; const char *body; } cases[] = {
    { CANNED_STATUS, 500, "text/plain", "oops" },
    { CANNED_STATUS, 502, "text/plain", "bad gateway" },
    { CANNED_STATUS, 503, "text/plain", "unavailable" },
    { CANNED_STATUS, 504, "text/plain", "gateway timeout" },
    { CANNED_STATUS, 524, "text/plain", "a timeout occurred" },
    { CANNED_DROP, 0, NULL, NULL },
    { CANNED_STATUS, 200, "text/xml", "<response><control><status>succ" },
  };

  g_assert_true (cb_intacct_client_connect (client, NULL, &error));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbIntacctResponse) response = NULL;
      guint before = loopback_n_requests (lb);

      loopback_push (lb, cases[i].kind, cases[i].status, cases[i].type, cases[i].body, 0);
      response = cb_intacct_client_execute (client, functions, CB_INTACCT_EXECUTE_UNIQUE, NULL,
                                            &error);
      g_assert_null (response);
      g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_OUTCOME_UNKNOWN);
      assert_unsure_is_write (error, functions);
      assert_no_secret (error, NULL);
      /* Never resent. */
      g_assert_cmpuint (loopback_n_requests (lb) - before, ==, 1);
      g_clear_error (&error);
    }
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 0);

  /* 429 means nothing ran: retried even with writes. */
  {
    g_autoptr(CbIntacctResponse) response = NULL;
    const char *gw0010 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><response><control>"
                         "<status>failure</status><senderid></senderid><controlid></controlid>"
                         "</control><errormessage><error><errorno>GW-0010</errorno>"
                         "<description>Rate limit reached</description></error></errormessage>"
                         "</response>";

    loopback_push (lb, CANNED_STATUS, 429, "text/xml", gw0010, 0);
    loopback_push (lb, CANNED_STATUS, 429, "text/plain", "slow down", 0);
    response = cb_intacct_client_execute (client, functions, CB_INTACCT_EXECUTE_UNIQUE, NULL,
                                          &error);
    g_assert_no_error (error);
    g_assert_nonnull (response);
    g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 2);
  }

  g_clear_object (&client);
  loopback_free (lb);
}

static void
test_canned_rate_limited (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) functions = read_functions ();
  g_autoptr(CbIntacctResponse) response = NULL;
  Canned *canned;
  gint64 start;

  g_assert_true (cb_intacct_client_connect (client, NULL, &error));

  /* Retry-After is honoured, even with a short configured delay. */
  loopback_push (lb, CANNED_STATUS, 429, "text/plain", "slow down", 0);
  canned = g_queue_peek_tail (&lb->canned);
  canned->retry_after = g_strdup ("1");
  start = g_get_monotonic_time ();
  response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_clear_pointer (&response, cb_intacct_response_free);

  /* Out of retries: RATE_LIMITED. */
  cb_intacct_client_set_max_retries (client, 1);
  loopback_push (lb, CANNED_STATUS, 429, "text/plain", "slow down", 0);
  loopback_push (lb, CANNED_STATUS, 429, "text/plain", "slow down", 0);
  response = cb_intacct_client_execute (client, functions, 0, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_RATE_LIMITED);

  g_clear_object (&client);
  loopback_free (lb);
}

static void
test_canned_timeout (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reads = read_functions ();
  g_autoptr(GPtrArray) mixed = mixed_functions ();
  g_autoptr(CbIntacctResponse) response = NULL;

  /* Generous, so that a loaded machine does not time out where it should not. */
  cb_intacct_client_set_timeout (client, 2);
  g_assert_true (cb_intacct_client_connect (client, NULL, &error));

  /* A read that times out is sent again. */
  loopback_push_delay (lb, 4000);
  response = cb_intacct_client_execute (client, reads, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 1);

  /* A write that times out is unsure, and not sent again. */
  loopback_push_delay (lb, 4000);
  g_clear_pointer (&response, cb_intacct_response_free);
  response = cb_intacct_client_execute (client, mixed, CB_INTACCT_EXECUTE_UNIQUE, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_OUTCOME_UNKNOWN);
  assert_unsure_is_write (error, mixed);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 1);

  g_clear_object (&client);
  loopback_free (lb);
}

typedef struct
{
  CbIntacctClient *client;
  GCancellable    *cancellable;
  GError          *error;
  gint64           elapsed;
} CancelData;

static gpointer
cancel_later_thread (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_canned_cancel (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) functions = read_functions ();
  g_autoptr(CbIntacctResponse) response = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GThread *canceller;
  gint64 start;

  g_assert_true (cb_intacct_client_connect (client, NULL, &error));

  /* Cancelled from another thread while the server is slow. */
  loopback_push_delay (lb, 10000);
  canceller = g_thread_new ("cancel", cancel_later_thread, cancellable);
  start = g_get_monotonic_time ();
  response = cb_intacct_client_execute (client, functions, 0, cancellable, &error);
  g_thread_join (canceller);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Cancelled while waiting to retry. */
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  cb_intacct_client_set_retry_delay (client, 60000);
  loopback_push (lb, CANNED_STATUS, 503, "text/plain", "unavailable", 0);
  canceller = g_thread_new ("cancel", cancel_later_thread, cancellable);
  start = g_get_monotonic_time ();
  response = cb_intacct_client_execute (client, functions, 0, cancellable, &error);
  g_thread_join (canceller);
  g_assert_null (response);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Already cancelled: nothing goes out. */
  {
    guint before = loopback_n_requests (lb);

    response = cb_intacct_client_execute (client, functions, 0, cancellable, &error);
    g_assert_null (response);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (loopback_n_requests (lb), ==, before);
  }

  g_clear_object (&client);
  loopback_free (lb);
}

static void
test_canned_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cert = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(CbIntacctClient) client = NULL;
  int status = 0;
  Loopback *lb;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend");
      return;
    }

  /* A self-signed certificate made for this test: nobody vouches for it. */
  dir = g_dir_make_tmp ("cb-tls-XXXXXX", &error);
  g_assert_no_error (error);
  key = g_build_filename (dir, "key.pem", NULL);
  cert = g_build_filename (dir, "cert.pem", NULL);
  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL,
    };

    if (!g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL) ||
        !g_spawn_check_wait_status (status, NULL))
      {
        g_test_skip ("openssl is not available to make a certificate");
        g_remove (key);
        g_remove (cert);
        g_rmdir (dir);
        return;
      }
  }
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);

  lb = loopback_new_full (certificate);
  g_assert_true (g_str_has_prefix (lb->endpoint, "https://"));
  client = canned_client (lb);
  g_assert_false (cb_intacct_client_connect (client, NULL, &error));
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_TLS);
  assert_no_secret (error, NULL);
  /* Not retried, and nothing reached the server's handler. */
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 0);
  g_assert_cmpuint (loopback_n_requests (lb), ==, 0);

  g_clear_object (&client);
  loopback_free (lb);
  g_remove (key);
  g_remove (cert);
  g_rmdir (dir);
}

static void
test_canned_entities_fallback (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) client = canned_client (lb);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entities = NULL;
  CbIntacctRecord *entity;

  /* readEntityDetails answers: its fields become LOCATIONID, NAME, RECORDNO. */
  entities = cb_intacct_client_list_entities (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entities->len, ==, 1);
  entity = g_ptr_array_index (entities, 0);
  g_assert_cmpstr (cb_intacct_record_get_field (entity, "LOCATIONID"), ==, "E1");
  g_assert_cmpstr (cb_intacct_record_get_field (entity, "NAME"), ==, "Entity One");
  g_assert_cmpstr (cb_intacct_record_get_field (entity, "RECORDNO"), ==, "11");
  g_clear_pointer (&entities, g_ptr_array_unref);

  /* Not permitted: the LOCATIONENTITY query stands in. */
  lb->no_entity_details = TRUE;
  entities = cb_intacct_client_list_entities (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entities->len, ==, 2);
  entity = g_ptr_array_index (entities, 1);
  g_assert_cmpstr (cb_intacct_record_get_field (entity, "LOCATIONID"), ==, "E2");
  g_assert_cmpstr (cb_intacct_record_get_field (entity, "NAME"), ==, "Entity Two");
  g_assert_cmpstr (cb_intacct_record_get_field (entity, "RECORDNO"), ==, "12");
  {
    g_autofree char *last = loopback_dup_body (lb, loopback_n_requests (lb) - 1);
    g_assert_nonnull (strstr (last, "<object>LOCATIONENTITY</object>"));
  }

  g_clear_object (&client);
  loopback_free (lb);
}

static void
test_canned_refused (void)
{
  g_autoptr(CbIntacctCredentials) credentials = cb_intacct_credentials_new ();
  g_autoptr(CbIntacctClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  /* A port that nobody listens on: bound, then closed. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  credentials->endpoint = g_strdup_printf ("http://127.0.0.1:%u/ia/xml/xmlgw.phtml", port);
  credentials->sender_id = g_strdup ("costbridge");
  credentials->sender_password = g_strdup (CANNED_SENDER_SECRET);
  credentials->company_id = g_strdup ("refused-co");
  credentials->user_id = g_strdup ("u");
  credentials->user_password = g_strdup (CANNED_USER_SECRET);
  client = cb_intacct_client_new (credentials, &error);
  g_assert_no_error (error);
  cb_intacct_client_set_retry_delay (client, 5);
  cb_intacct_client_set_max_retries (client, 3);

  g_assert_false (cb_intacct_client_connect (client, NULL, &error));
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NETWORK);
  assert_no_secret (error, NULL);
  g_assert_cmpuint (cb_intacct_client_get_request_count (client), ==, 4);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 3);
}

typedef struct
{
  CbIntacctClient *client;
  guint            calls;
} FlightData;

static gpointer
flight_thread (gpointer data)
{
  FlightData *flight = data;

  for (guint i = 0; i < flight->calls; i++)
    {
      g_autoptr(GPtrArray) functions = read_functions ();
      g_autoptr(GError) error = NULL;
      g_autoptr(CbIntacctResponse) response = NULL;

      response = cb_intacct_client_execute (flight->client, functions, 0, NULL, &error);
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_canned_in_flight (void)
{
  Loopback *lb = loopback_new ();
  g_autoptr(CbIntacctClient) a = canned_client (lb);
  g_autoptr(CbIntacctClient) b = canned_client (lb);
  g_autoptr(GError) error = NULL;
  FlightData fa = { a, 3 }, fb = { b, 3 };
  GThread *ta, *tb;

  /* Two clients of the same company, two threads: one request on the wire at a time. */
  g_assert_true (cb_intacct_client_connect (a, NULL, &error));
  g_assert_true (cb_intacct_client_connect (b, NULL, &error));
  for (guint i = 0; i < 6; i++)
    loopback_push_delay (lb, 100);
  ta = g_thread_new ("a", flight_thread, &fa);
  tb = g_thread_new ("b", flight_thread, &fb);
  g_thread_join (ta);
  g_thread_join (tb);
  g_assert_cmpuint (lb->max_in_flight, ==, 1);
  g_assert_cmpuint (loopback_n_requests (lb), ==, 8);

  g_clear_object (&a);
  g_clear_object (&b);
  loopback_free (lb);
}

/* {{{ Against the sandbox gateway */

typedef struct
{
  CbSandbox       *sandbox;
  CbIntacctClient *client;
} SbFixture;

static CbIntacctClient *
sandbox_client (CbSandbox  *sandbox,
                const char *entity)
{
  g_autoptr(CbIntacctCredentials) credentials = cb_intacct_credentials_new ();
  g_autoptr(GError) error = NULL;
  CbIntacctClient *client;

  credentials->endpoint = cb_sandbox_dup_endpoint (sandbox);
  credentials->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  credentials->sender_password = g_strdup (CB_SANDBOX_SENDER_SECRET);
  credentials->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  credentials->user_id = g_strdup (CB_SANDBOX_USER_ID);
  credentials->user_password = g_strdup (CB_SANDBOX_USER_SECRET);
  credentials->entity_id = g_strdup (entity);
  client = cb_intacct_client_new (credentials, &error);
  g_assert_no_error (error);
  cb_intacct_client_set_retry_delay (client, 10);
  return client;
}

static void
sb_setup (SbFixture     *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->client = sandbox_client (f->sandbox, NULL);
}

static void
sb_teardown (SbFixture     *f,
             gconstpointer  data)
{
  g_clear_object (&f->client);
  cb_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
}

/* Every error seen against the sandbox goes through here. */
static void
check_error (const GError *error)
{
  assert_no_secret (error, NULL);
}

static CbIntacctRecord *
new_vendor (const char *id,
            const char *name)
{
  CbIntacctRecord *vendor = cb_intacct_record_new ("VENDOR");
  CbIntacctRecord *contact;

  cb_intacct_record_add_field (vendor, "VENDORID", id);
  cb_intacct_record_add_field (vendor, "NAME", name);
  contact = cb_intacct_record_add_child (vendor, "DISPLAYCONTACT");
  cb_intacct_record_add_field (contact, "PRINTAS", name);
  return vendor;
}

static CbIntacctRecord *
new_project (const char *id)
{
  CbIntacctRecord *project = cb_intacct_record_new ("PROJECT");

  cb_intacct_record_add_field (project, "PROJECTID", id);
  cb_intacct_record_add_field (project, "NAME", "Test project");
  cb_intacct_record_add_field (project, "PROJECTCATEGORY", "Contract");
  return project;
}

static CbIntacctRecord *
new_task (const char *project_id,
          const char *task_id)
{
  CbIntacctRecord *task = cb_intacct_record_new ("TASK");

  cb_intacct_record_add_field (task, "TASKID", task_id);
  cb_intacct_record_add_field (task, "NAME", "Test task");
  cb_intacct_record_add_field (task, "PROJECTID", project_id);
  cb_intacct_record_add_field (task, "TASKSTATUS", "Planned");
  return task;
}

static CbIntacctRecord *
new_cost_type (const char *project_id,
               const char *task_id,
               const char *standard_id)
{
  CbIntacctRecord *cost_type = cb_intacct_record_new ("COSTTYPE");

  cb_intacct_record_add_field (cost_type, "COSTTYPEID", standard_id);
  cb_intacct_record_add_field (cost_type, "NAME", "Test cost type");
  cb_intacct_record_add_field (cost_type, "STANDARDCOSTTYPEID", standard_id);
  cb_intacct_record_add_field (cost_type, "PROJECTID", project_id);
  cb_intacct_record_add_field (cost_type, "TASKID", task_id);
  return cost_type;
}

static GPtrArray *
records_of (CbIntacctRecord *first,
            ...)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  va_list args;

  va_start (args, first);
  for (CbIntacctRecord *r = first; r != NULL; r = va_arg (args, CbIntacctRecord *))
    g_ptr_array_add (records, r);
  va_end (args);
  return records;
}

/* Creates the records, each must succeed; returns their RECORDNOs. */
static GStrv
create_ok (CbIntacctClient *client,
           GPtrArray       *objects)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = cb_intacct_client_create (client, objects, NULL, NULL, &error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, objects->len);
  for (guint i = 0; i < results->len; i++)
    {
      CbIntacctResult *result = g_ptr_array_index (results, i);
      CbIntacctRecord *created;

      cb_intacct_result_check (result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (result->records->len, ==, 1);
      created = g_ptr_array_index (result->records, 0);
      g_assert_nonnull (cb_intacct_record_get_field (created, "RECORDNO"));
      g_strv_builder_add (builder, cb_intacct_record_get_field (created, "RECORDNO"));
    }
  return g_strv_builder_end (builder);
}

/* Records of @object with @field = @value, as the client sees them now. */
static guint
count_visible (CbIntacctClient *client,
               const char      *object,
               const char      *field,
               const char      *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *condition = cb_intacct_query_condition (field, "=", value);
  g_autoptr(CbIntacctFunction) function = NULL;
  g_autoptr(GPtrArray) records = NULL;

  function = cb_intacct_function_read_by_query (NULL, object, "RECORDNO", condition, 100);
  records = cb_intacct_client_call (client, function, NULL, &error);
  g_assert_no_error (error);
  return records->len;
}

static void
test_sandbox_session_reuse (SbFixture     *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) timeout = NULL;
  g_autofree char *entity = NULL;

  g_assert_true (cb_intacct_client_connect (f->client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_intacct_client_is_connected (f->client));
  timeout = cb_intacct_client_dup_session_timeout (f->client);
  g_assert_nonnull (timeout);
  entity = cb_intacct_client_dup_entity_id (f->client);
  g_assert_cmpstr (entity, ==, "");

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(CbIntacctFunction) function =
        cb_intacct_function_read_by_query (NULL, "VENDOR", "RECORDNO,VENDORID", "", 5);
      g_autoptr(GPtrArray) records = cb_intacct_client_call (f->client, function, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (records->len, ==, 5);
    }
  g_assert_cmpuint (cb_sandbox_get_login_count (f->sandbox), ==, 1);
  g_assert_cmpuint (cb_sandbox_get_request_count (f->sandbox), ==, 11);
  g_assert_cmpuint (cb_intacct_client_get_request_count (f->client), ==, 11);
}

static void
check_pages_ascending (GPtrArray  *page,
                       GHashTable *seen,
                       gint64     *last)
{
  for (guint i = 0; i < page->len; i++)
    {
      const char *recordno = cb_intacct_record_get_field (g_ptr_array_index (page, i), "RECORDNO");
      gint64 n;

      g_assert_nonnull (recordno);
      n = g_ascii_strtoll (recordno, NULL, 10);
      g_assert_false (g_hash_table_contains (seen, recordno));
      g_hash_table_add (seen, g_strdup (recordno));
      if (last != NULL)
        {
          g_assert_cmpint (n, >, *last);
          *last = n;
        }
    }
}

static void
test_sandbox_pager_all_objects (SbFixture     *f,
                                gconstpointer  data)
{
  const CbIntacctObjectInfo *all;
  guint n = 0;

  all = cb_intacct_objects_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      const CbIntacctObjectInfo *info = &all[i];
      guint expected = cb_sandbox_count_records (f->sandbox, info->name, NULL, NULL);
      g_autofree char *fields = cb_intacct_object_dup_fields_string (info);

      /* The demo company has some of everything. */
      g_assert_cmpuint (expected, >, 0);
      for (guint path = 0; path < 2; path++)
        {
          g_autoptr(CbIntacctPager) pager = NULL;
          g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_autoptr(GError) error = NULL;
          GPtrArray *page;
          gint64 last = -1;
          guint pages = 0;

          if (path == 0)
            pager = cb_intacct_pager_new_read_by_query (f->client, info->name, fields, "", 7);
          else
            pager = cb_intacct_pager_new_query (f->client, info->name, info->select_fields, NULL, 7);
          g_assert_cmpint (cb_intacct_pager_get_total (pager), ==, -1);

          while ((page = cb_intacct_pager_next (pager, NULL, &error)) != NULL)
            {
              g_assert_cmpuint (page->len, <=, 7);
              check_pages_ascending (page, seen, path == 1 ? &last : NULL);
              for (guint r = 0; r < page->len; r++)
                g_assert_nonnull (cb_intacct_record_get_field (g_ptr_array_index (page, r),
                                                               info->id_field));
              pages++;
              g_ptr_array_unref (page);
            }
          if (error != NULL)
            g_error ("%s (%s): %s", info->name, path == 0 ? "readByQuery" : "query",
                     error->message);
          g_assert_true (cb_intacct_pager_is_done (pager));
          g_assert_cmpint (cb_intacct_pager_get_total (pager), ==, expected);
          g_assert_cmpuint (cb_intacct_pager_get_fetched (pager), ==, expected);
          g_assert_cmpuint (g_hash_table_size (seen), ==, expected);
          g_assert_cmpuint (pages, ==, (expected + 6) / 7);
          /* At the end, nothing more and no error. */
          g_assert_null (cb_intacct_pager_next (pager, NULL, &error));
          g_assert_no_error (error);
        }
    }

  /* A filtered query pages too. */
  {
    static const char * const select[] = { "RECORDNO", "VENDORID", "STATUS", NULL };
    g_autoptr(CbIntacctPager) pager = NULL;
    g_autoptr(GError) error = NULL;
    guint active = cb_sandbox_count_records (f->sandbox, "VENDOR", "STATUS", "active");
    guint fetched = 0;
    GPtrArray *page;

    pager = cb_intacct_pager_new_query (f->client, "VENDOR", select,
                                        cb_intacct_filter_compare ("equalto", "STATUS", "active"),
                                        5);
    while ((page = cb_intacct_pager_next (pager, NULL, &error)) != NULL)
      {
        for (guint r = 0; r < page->len; r++)
          g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (page, r), "STATUS"),
                           ==, "active");
        fetched += page->len;
        g_ptr_array_unref (page);
      }
    g_assert_no_error (error);
    g_assert_cmpuint (fetched, ==, active);
    g_assert_cmpuint (fetched, >, 0);
  }

  /* A resultId that the gateway does not know: reported, the caller starts over. */
  {
    g_autoptr(CbIntacctFunction) function = cb_intacct_function_read_more (NULL, "no-such-result");
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) records = cb_intacct_client_call (f->client, function, NULL, &error);

    g_assert_null (records);
    g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NOT_FOUND);
    check_error (error);
  }
}

static void
test_sandbox_crud (SbFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) setup = NULL;
  g_autoptr(GPtrArray) bills = NULL;
  g_auto(GStrv) recordnos = NULL;
  g_auto(GStrv) bill_nos = NULL;
  CbIntacctRecord *standard_task;
  CbIntacctRecord *bill;
  GDate *created = g_date_new_dmy (2, G_DATE_MARCH, 2026);
  GDate *due = g_date_new_dmy (1, G_DATE_APRIL, 2026);

  standard_task = cb_intacct_record_new ("STANDARDTASK");
  cb_intacct_record_add_field (standard_task, "STANDARDTASKID", "99-100");
  cb_intacct_record_add_field (standard_task, "NAME", "Test standard task");

  /* Order matters: each record refers to the ones before it. */
  setup = records_of (new_vendor ("TV-1", "Test Vendor One"),
                      new_project ("TP-1"),
                      new_task ("TP-1", "TT-1"),
                      standard_task,
                      new_cost_type ("TP-1", "TT-1", "L"),
                      new_cost_type ("TP-1", "TT-1", "M"),
                      NULL);
  recordnos = create_ok (f->client, setup);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", "TV-1"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "PROJECT", "PROJECTID", "TP-1"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "TASK", "TASKID", "TT-1"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "STANDARDTASK", "STANDARDTASKID",
                                              "99-100"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "COSTTYPE", "PROJECTID", "TP-1"), ==, 2);

  /* A bill with three lines carrying project, task and cost type. */
  bill = cb_intacct_apbill_new ("TV-1", "TB-1", created, due, NULL);
  cb_intacct_apbill_add_line (bill, "5000", "100.00", "Labor", "TP-1", "TT-1", "L", NULL, NULL, NULL);
  cb_intacct_apbill_add_line_amount (bill, "5100", 250.456, "Material", "TP-1", "TT-1", "M",
                                     NULL, NULL, NULL);
  cb_intacct_apbill_add_line (bill, "5100", "12.00", "More material", "TP-1", "TT-1", "M", NULL,
                              NULL, NULL);
  bills = records_of (bill, NULL);
  bill_nos = create_ok (f->client, bills);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "APBILL", "RECORDID", "TB-1"), ==, 1);
  {
    const char *keys[] = { bill_nos[0], NULL };
    g_autoptr(CbIntacctFunction) read = cb_intacct_function_read (NULL, "APBILL", keys, "*");
    g_autoptr(GPtrArray) records = cb_intacct_client_call (f->client, read, NULL, &error);
    g_autoptr(GPtrArray) lines = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (records->len, ==, 1);
    lines = cb_intacct_record_get_lines (g_ptr_array_index (records, 0), "APBILLITEMS");
    g_assert_cmpuint (lines->len, ==, 3);
    g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (lines, 1), "TRX_AMOUNT"), ==,
                     "250.46");
    g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (lines, 2), "COSTTYPEID"), ==,
                     "M");
  }

  /* Updates: a vendor by its ID, a task by RECORDNO only. */
  {
    g_autoptr(GPtrArray) updates = NULL;
    g_autoptr(GPtrArray) results = NULL;
    CbIntacctRecord *vendor = cb_intacct_record_new ("VENDOR");
    CbIntacctRecord *task = cb_intacct_record_new ("TASK");

    cb_intacct_record_add_field (vendor, "VENDORID", "TV-1");
    cb_intacct_record_add_field (vendor, "NAME", "Renamed Vendor");
    cb_intacct_record_add_field (task, "RECORDNO", recordnos[2]);
    cb_intacct_record_add_field (task, "TASKSTATUS", "In Progress");
    updates = records_of (vendor, task, NULL);
    results = cb_intacct_client_update (f->client, updates, NULL, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < results->len; i++)
      {
        cb_intacct_result_check (g_ptr_array_index (results, i), &error);
        g_assert_no_error (error);
      }
    g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "NAME", "Renamed Vendor"),
                      ==, 1);
    g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "TASK", "TASKSTATUS", "In Progress") ,
                      >, 0);
    g_assert_cmpuint (count_visible (f->client, "VENDOR", "NAME", "Renamed Vendor"), ==, 1);
  }

  /* Deletes, dependants first. */
  {
    const char *bill_key[] = { bill_nos[0], NULL };
    const char *cost_keys[] = { recordnos[4], recordnos[5], NULL };
    const char *task_key[] = { recordnos[2], NULL };
    const char *std_key[] = { recordnos[3], NULL };
    const char *project_key[] = { recordnos[1], NULL };
    const char *vendor_key[] = { recordnos[0], NULL };

    g_assert_true (cb_intacct_client_delete (f->client, "APBILL", bill_key, NULL, &error));
    g_assert_true (cb_intacct_client_delete (f->client, "COSTTYPE", cost_keys, NULL, &error));
    g_assert_true (cb_intacct_client_delete (f->client, "TASK", task_key, NULL, &error));
    g_assert_true (cb_intacct_client_delete (f->client, "STANDARDTASK", std_key, NULL, &error));
    g_assert_true (cb_intacct_client_delete (f->client, "PROJECT", project_key, NULL, &error));
    g_assert_true (cb_intacct_client_delete (f->client, "VENDOR", vendor_key, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "APBILL", "RECORDID", "TB-1"), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "COSTTYPE", "PROJECTID", "TP-1"), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "TASK", "TASKID", "TT-1"), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "STANDARDTASK", "STANDARDTASKID",
                                              "99-100"), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "PROJECT", "PROJECTID", "TP-1"), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", "TV-1"), ==, 0);

  /* Deleting what is gone fails at the result level. */
  {
    const char *vendor_key[] = { recordnos[0], NULL };

    g_assert_false (cb_intacct_client_delete (f->client, "VENDOR", vendor_key, NULL, &error));
    g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NOT_FOUND);
    check_error (error);
  }

  g_date_free (created);
  g_date_free (due);
}

static void
test_sandbox_many_functions (SbFixture     *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
  g_autoptr(CbIntacctResponse) response = NULL;
  guint requests;

  g_assert_true (cb_intacct_client_connect (f->client, NULL, &error));
  requests = cb_sandbox_get_request_count (f->sandbox);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *id = g_strdup_printf ("MF-%u", i);
      g_autoptr(GPtrArray) one = records_of (new_vendor (id, "Many functions"), NULL);

      g_ptr_array_add (functions, cb_intacct_function_create (NULL, one));
    }
  g_ptr_array_add (functions, cb_intacct_function_read_by_query (NULL, "PROJECT", "RECORDNO", "", 3));

  response = cb_intacct_client_execute (f->client, functions, CB_INTACCT_EXECUTE_UNIQUE, NULL,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->results->len, ==, functions->len);
  for (guint i = 0; i < functions->len; i++)
    {
      const char *control_id = cb_intacct_function_get_control_id (g_ptr_array_index (functions, i));
      CbIntacctResult *result = cb_intacct_response_find_result (response, control_id);

      g_assert_nonnull (result);
      cb_intacct_result_check (result, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (cb_sandbox_get_request_count (f->sandbox) - requests, ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "NAME", "Many functions"), ==, 8);
}

static void
test_sandbox_entities (SbFixture     *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entities = NULL;
  g_autoptr(GPtrArray) vendor = NULL;
  g_auto(GStrv) created = NULL;
  g_autofree char *entity = NULL;
  gboolean north = FALSE, south = FALSE;

  entities = cb_intacct_client_list_entities (f->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entities->len, ==, cb_sandbox_count_records (f->sandbox, "LOCATIONENTITY",
                                                                 NULL, NULL));
  for (guint i = 0; i < entities->len; i++)
    {
      CbIntacctRecord *record = g_ptr_array_index (entities, i);
      const char *id = cb_intacct_record_get_field (record, "LOCATIONID");

      g_assert_nonnull (cb_intacct_record_get_field (record, "NAME"));
      g_assert_nonnull (cb_intacct_record_get_field (record, "RECORDNO"));
      north |= g_strcmp0 (id, CB_SANDBOX_ENTITY_NORTH) == 0;
      south |= g_strcmp0 (id, CB_SANDBOX_ENTITY_SOUTH) == 0;
    }
  g_assert_true (north && south);

  /* A vendor created inside entity 100 … */
  g_assert_true (cb_intacct_client_switch_entity (f->client, CB_SANDBOX_ENTITY_NORTH, NULL, &error));
  g_assert_no_error (error);
  entity = cb_intacct_client_dup_entity_id (f->client);
  g_assert_cmpstr (entity, ==, CB_SANDBOX_ENTITY_NORTH);
  vendor = records_of (new_vendor ("ENT-100-V", "North only"), NULL);
  created = create_ok (f->client, vendor);
  g_assert_cmpuint (count_visible (f->client, "VENDOR", "VENDORID", "ENT-100-V"), ==, 1);

  /* … is invisible from entity 200 … */
  g_assert_true (cb_intacct_client_switch_entity (f->client, CB_SANDBOX_ENTITY_SOUTH, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_visible (f->client, "VENDOR", "VENDORID", "ENT-100-V"), ==, 0);

  /* … and visible at the top level. */
  g_assert_true (cb_intacct_client_switch_entity (f->client, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&entity, g_free);
  entity = cb_intacct_client_dup_entity_id (f->client);
  g_assert_cmpstr (entity, ==, "");
  g_assert_cmpuint (count_visible (f->client, "VENDOR", "VENDORID", "ENT-100-V"), ==, 1);

  /* A client that starts in an entity is scoped from its first request. */
  {
    g_autoptr(CbIntacctClient) south_client = sandbox_client (f->sandbox, CB_SANDBOX_ENTITY_SOUTH);

    g_assert_cmpuint (count_visible (south_client, "VENDOR", "VENDORID", "ENT-100-V"), ==, 0);
  }

  /* An entity that does not exist. */
  g_assert_false (cb_intacct_client_switch_entity (f->client, "999", NULL, &error));
  g_assert_nonnull (error);
  check_error (error);
}

static void
test_sandbox_session_expiry (SbFixture     *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) vendor = records_of (new_vendor ("EXP-1", "Expiry"), NULL);
  g_auto(GStrv) created = NULL;
  guint logins;

  g_assert_true (cb_intacct_client_connect (f->client, NULL, &error));
  logins = cb_sandbox_get_login_count (f->sandbox);
  cb_sandbox_add_fault (f->sandbox, CB_SANDBOX_FAULT_EXPIRE_SESSION, 0, 1);
  created = create_ok (f->client, vendor);
  g_assert_cmpuint (cb_sandbox_get_login_count (f->sandbox), ==, logins + 1);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", "EXP-1"), ==, 1);

  /* A short lifetime: the session runs out between calls, the calls still work. */
  cb_sandbox_set_session_lifetime (f->sandbox, 1);
  g_assert_true (cb_intacct_client_connect (f->client, NULL, &error));
  g_usleep (1500 * 1000);
  g_assert_cmpuint (count_visible (f->client, "VENDOR", "VENDORID", "EXP-1"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", "EXP-1"), ==, 1);
}

static const struct
{
  CbSandboxFault fault;
  const char    *name;
  gboolean       work_done;     /* the sandbox ran the functions before failing */
  gboolean       nothing_ran;   /* the client can know that nothing ran */
} fault_cases[] = {
  { CB_SANDBOX_FAULT_HTTP_429, "429", FALSE, TRUE },
  { CB_SANDBOX_FAULT_HTTP_502, "502", FALSE, FALSE },
  { CB_SANDBOX_FAULT_HTTP_503, "503", FALSE, FALSE },
  { CB_SANDBOX_FAULT_HTTP_504, "504", FALSE, FALSE },
  { CB_SANDBOX_FAULT_HTTP_524, "524", TRUE, FALSE },
  { CB_SANDBOX_FAULT_DROP_BEFORE, "drop-before", FALSE, FALSE },
  { CB_SANDBOX_FAULT_DROP_AFTER, "drop-after", TRUE, FALSE },
  { CB_SANDBOX_FAULT_MALFORMED, "malformed", TRUE, FALSE },
};

static void
test_sandbox_faults_reads (SbFixture     *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_intacct_client_connect (f->client, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autoptr(CbIntacctFunction) function =
        cb_intacct_function_read_by_query (NULL, "VENDOR", "RECORDNO,VENDORID", "", 10);
      g_autoptr(GPtrArray) records = NULL;
      guint requests = cb_sandbox_get_request_count (f->sandbox);
      guint retries = cb_intacct_client_get_retry_count (f->client);

      cb_sandbox_add_fault (f->sandbox, fault_cases[i].fault, 0, 2);
      records = cb_intacct_client_call (f->client, function, NULL, &error);
      if (error != NULL)
        g_error ("%s: %s", fault_cases[i].name, error->message);
      g_assert_cmpuint (records->len, ==, 10);
      g_assert_cmpuint (cb_intacct_client_get_retry_count (f->client) - retries, ==, 2);
      g_assert_cmpuint (cb_sandbox_get_request_count (f->sandbox) - requests, ==, 3);
    }

  /* The pager survives faults on later pages too. */
  {
    g_autoptr(CbIntacctPager) pager = cb_intacct_pager_new_query (f->client, "VENDOR",
                                                                   cb_intacct_object_lookup ("VENDOR")->select_fields,
                                                                   NULL, 10);
    guint fetched = 0;
    GPtrArray *page;

    cb_sandbox_add_fault (f->sandbox, CB_SANDBOX_FAULT_HTTP_503, 1, 1);
    cb_sandbox_add_fault (f->sandbox, CB_SANDBOX_FAULT_DROP_AFTER, 1, 1);
    while ((page = cb_intacct_pager_next (pager, NULL, &error)) != NULL)
      {
        fetched += page->len;
        g_ptr_array_unref (page);
      }
    g_assert_no_error (error);
    g_assert_cmpuint (fetched, ==, cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL));
  }

  /* readMore moves a cursor: a page whose reply is lost after the gateway moved on must
   * not go missing silently. */
  {
    g_autoptr(CbIntacctPager) pager = cb_intacct_pager_new_read_by_query (f->client, "VENDOR",
                                                                           "RECORDNO,VENDORID",
                                                                           "", 10);
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *page;

    cb_sandbox_add_fault (f->sandbox, CB_SANDBOX_FAULT_DROP_AFTER, 1, 1);
    while ((page = cb_intacct_pager_next (pager, NULL, &error)) != NULL)
      {
        check_pages_ascending (page, seen, NULL);
        g_ptr_array_unref (page);
      }
    /* The sandbox, like the gateway, has moved on: the caller is told to start again. */
    g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_NOT_FOUND);
    check_error (error);
    g_assert_true (cb_intacct_pager_is_done (pager));
    g_assert_cmpuint (g_hash_table_size (seen), <,
                      cb_sandbox_count_records (f->sandbox, "VENDOR", NULL, NULL));
    g_clear_error (&error);
  }
}

static void
test_sandbox_faults_writes (SbFixture     *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_intacct_client_connect (f->client, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *id = g_strdup_printf ("FW-%s", fault_cases[i].name);
      g_autoptr(GPtrArray) vendor = records_of (new_vendor (id, "Fault test"), NULL);
      g_autofree char *control_id = cb_intacct_new_control_id ();
      const char *control_ids[] = { control_id, NULL };
      g_autoptr(GPtrArray) results = NULL;
      guint requests = cb_sandbox_get_request_count (f->sandbox);
      guint expected;

      cb_sandbox_add_fault (f->sandbox, fault_cases[i].fault, 0, 1);
      results = cb_intacct_client_create (f->client, vendor, control_ids, NULL, &error);

      if (fault_cases[i].nothing_ran)
        {
          /* Retried, and the record exists once. */
          g_assert_no_error (error);
          cb_intacct_result_check (g_ptr_array_index (results, 0), &error);
          g_assert_no_error (error);
          g_assert_cmpuint (cb_sandbox_get_request_count (f->sandbox) - requests, ==, 2);
          expected = 1;
        }
      else
        {
          const CbIntacctErrorPrivate *details;

          g_assert_null (results);
          if (!g_error_matches (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_OUTCOME_UNKNOWN))
            g_error ("%s: %s", fault_cases[i].name, error ? error->message : "no error");
          check_error (error);
          details = cb_intacct_error_get_details (error);
          g_assert_nonnull (details->unsure_control_ids);
          g_assert_cmpuint (g_strv_length (details->unsure_control_ids), ==, 1);
          g_assert_cmpstr (details->unsure_control_ids[0], ==, control_id);
          /* Never resent. */
          g_assert_cmpuint (cb_sandbox_get_request_count (f->sandbox) - requests, ==, 1);
          expected = fault_cases[i].work_done ? 1 : 0;
          g_clear_error (&error);
        }
      if (cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", id) != expected)
        g_error ("%s: %u records, expected %u", fault_cases[i].name,
                 cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", id), expected);

      /* Sending the same function again (same controlid, uniqueid) never duplicates. */
      g_clear_pointer (&results, g_ptr_array_unref);
      results = cb_intacct_client_create (f->client, vendor, control_ids, NULL, &error);
      g_assert_no_error (error);
      if (expected == 1)
        {
          cb_intacct_result_check (g_ptr_array_index (results, 0), &error);
          g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_ALREADY_EXECUTED);
          check_error (error);
          g_clear_error (&error);
        }
      else
        {
          cb_intacct_result_check (g_ptr_array_index (results, 0), &error);
          g_assert_no_error (error);
        }
      g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", id), ==, 1);
    }
}

static void
test_sandbox_result_errors (SbFixture     *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Duplicate vendor ID. */
  {
    g_autoptr(GPtrArray) first = records_of (new_vendor ("DUP-1", "Duplicate"), NULL);
    g_autoptr(GPtrArray) second = records_of (new_vendor ("DUP-1", "Duplicate again"), NULL);
    g_auto(GStrv) created = create_ok (f->client, first);
    g_autoptr(GPtrArray) results = cb_intacct_client_create (f->client, second, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (cb_intacct_result_check (g_ptr_array_index (results, 0), &error));
    g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_DUPLICATE);
    check_error (error);
    g_clear_error (&error);
    g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", "DUP-1"), ==, 1);
  }

  /* A transaction where the second function fails rolls back the first. */
  {
    g_autoptr(GPtrArray) good = records_of (new_vendor ("TX-GOOD", "Transaction"), NULL);
    g_autoptr(GPtrArray) bad = records_of (new_task ("NO-SUCH-PROJECT", "TX-T"), NULL);
    g_autoptr(GPtrArray) functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
    g_autoptr(CbIntacctResponse) response = NULL;
    CbIntacctResult *result;

    g_ptr_array_add (functions, cb_intacct_function_create (NULL, good));
    g_ptr_array_add (functions, cb_intacct_function_create (NULL, bad));
    response = cb_intacct_client_execute (f->client, functions,
                                          CB_INTACCT_EXECUTE_UNIQUE | CB_INTACCT_EXECUTE_TRANSACTION,
                                          NULL, &error);
    g_assert_no_error (error);
    result = cb_intacct_response_find_result (response,
                                              cb_intacct_function_get_control_id (g_ptr_array_index (functions, 0)));
    g_assert_false (cb_intacct_result_check (result, &error));
    g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_ROLLED_BACK);
    check_error (error);
    g_clear_error (&error);
    result = cb_intacct_response_find_result (response,
                                              cb_intacct_function_get_control_id (g_ptr_array_index (functions, 1)));
    g_assert_false (cb_intacct_result_check (result, &error));
    g_assert_nonnull (error);
    g_assert_false (g_error_matches (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_ROLLED_BACK));
    check_error (error);
    g_clear_error (&error);
    g_assert_cmpuint (cb_sandbox_count_records (f->sandbox, "VENDOR", "VENDORID", "TX-GOOD"), ==, 0);
  }

  /* Wrong password: no secret in the message. */
  {
    g_autoptr(CbIntacctCredentials) credentials = cb_intacct_credentials_new ();
    g_autoptr(CbIntacctClient) client = NULL;

    credentials->endpoint = cb_sandbox_dup_endpoint (f->sandbox);
    credentials->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
    credentials->sender_password = g_strdup (CB_SANDBOX_SENDER_SECRET);
    credentials->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
    credentials->user_id = g_strdup (CB_SANDBOX_USER_ID);
    credentials->user_password = g_strdup ("wrong-" CANNED_USER_SECRET);
    client = cb_intacct_client_new (credentials, &error);
    g_assert_no_error (error);
    g_assert_false (cb_intacct_client_connect (client, NULL, &error));
    g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_AUTH_FAILED);
    check_error (error);
    g_clear_error (&error);
  }
}

static gpointer
sandbox_cancel_thread (gpointer data)
{
  g_usleep (300 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_sandbox_cancel (SbFixture     *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CbIntacctFunction) function =
    cb_intacct_function_read_by_query (NULL, "VENDOR", "RECORDNO", "", 10);
  g_autoptr(GPtrArray) records = NULL;
  GThread *thread;
  gint64 start;

  g_assert_true (cb_intacct_client_connect (f->client, NULL, &error));
  cb_sandbox_set_latency (f->sandbox, 8000);
  thread = g_thread_new ("cancel", sandbox_cancel_thread, cancellable);
  start = g_get_monotonic_time ();
  records = cb_intacct_client_call (f->client, function, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (records);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  cb_sandbox_set_latency (f->sandbox, 0);
}

typedef struct
{
  CbIntacctClient *client;
  guint            calls;
} SbFlight;

static gpointer
sandbox_flight_thread (gpointer data)
{
  SbFlight *flight = data;

  for (guint i = 0; i < flight->calls; i++)
    {
      g_autoptr(CbIntacctFunction) function =
        cb_intacct_function_read_by_query (NULL, "PROJECT", "RECORDNO", "", 5);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = cb_intacct_client_call (flight->client, function, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (records->len, ==, 5);
    }
  return NULL;
}

static void
test_sandbox_in_flight (SbFixture     *f,
                        gconstpointer  data)
{
  g_autoptr(CbIntacctClient) other = sandbox_client (f->sandbox, NULL);
  g_autoptr(GError) error = NULL;
  SbFlight a = { f->client, 4 }, b = { other, 4 };
  GThread *ta, *tb;

  g_assert_true (cb_intacct_client_connect (f->client, NULL, &error));
  g_assert_true (cb_intacct_client_connect (other, NULL, &error));
  cb_intacct_client_set_max_in_flight (f->client, 1);
  cb_intacct_client_set_max_in_flight (other, 1);
  cb_sandbox_set_latency (f->sandbox, 50);
  cb_sandbox_reset_counters (f->sandbox);

  ta = g_thread_new ("a", sandbox_flight_thread, &a);
  tb = g_thread_new ("b", sandbox_flight_thread, &b);
  g_thread_join (ta);
  g_thread_join (tb);
  g_assert_cmpuint (cb_sandbox_get_request_count (f->sandbox), ==, 8);
  /* The sandbox's own view of concurrency is checked by the canned test, which counts
   * the requests held at once on the server side. */
  cb_sandbox_set_latency (f->sandbox, 0);
}

/* }}} */
/* {{{ Object table and bill builder */

static void
test_objects_table (void)
{
  static const char *expected[] = {
    "VENDOR", "PROJECT", "TASK", "STANDARDTASK", "COSTTYPE", "STANDARDCOSTTYPE", "APBILL",
    "GLACCOUNT", "LOCATION", "LOCATIONENTITY", "DEPARTMENT", "ITEM",
  };
  const CbIntacctObjectInfo *all;
  guint n = 0;

  all = cb_intacct_objects_get_all (&n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *lower = g_ascii_strdown (expected[i], -1);
      const CbIntacctObjectInfo *info = cb_intacct_object_lookup (lower);
      g_autofree char *fields = NULL;

      g_assert_nonnull (info);
      g_assert_true (info >= all && info < all + n);
      g_assert_cmpstr (info->name, ==, expected[i]);
      g_assert_cmpstr (info->select_fields[0], ==, "RECORDNO");
      g_assert_true (g_strv_contains (info->select_fields, info->id_field));
      g_assert_nonnull (info->display_name);
      fields = cb_intacct_object_dup_fields_string (info);
      g_assert_true (g_str_has_prefix (fields, "RECORDNO,"));
    }
  g_assert_null (cb_intacct_object_lookup ("CUSTOMER"));

  /* Update keys (REFERENCE.md §5.2): only RECORDNO for TASK, COSTTYPE and APBILL. */
  g_assert_cmpstr (cb_intacct_object_lookup ("TASK")->update_key, ==, "RECORDNO");
  g_assert_cmpstr (cb_intacct_object_lookup ("COSTTYPE")->update_key, ==, "RECORDNO");
  g_assert_cmpstr (cb_intacct_object_lookup ("APBILL")->update_key, ==, "RECORDNO");
  g_assert_cmpstr (cb_intacct_object_lookup ("VENDOR")->update_key, ==, "VENDORID");
  g_assert_true (cb_intacct_object_lookup ("STANDARDCOSTTYPE")->needs_construction);
  g_assert_true (cb_intacct_object_lookup ("COSTTYPE")->needs_construction);
  g_assert_false (cb_intacct_object_lookup ("APBILL")->needs_construction);
  g_assert_cmpstr (cb_intacct_object_lookup ("APBILL")->line_name, ==, "APBILLITEM");
}

static void
test_objects_bill (void)
{
  g_autoptr(CbIntacctRecord) bill = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  GDate *created = g_date_new_dmy (5, G_DATE_MARCH, 2026);
  GDate *due = g_date_new_dmy (4, G_DATE_APRIL, 2026);
  CbIntacctRecord *line;
  static const struct { double in; const char *out; } amounts[] = {
    { 12.345, "12.35" }, { 1.005, "1.01" }, { -2.675, "-2.68" }, { 100, "100.00" },
    { 0.004, "0.00" }, { -0.004, "0.00" }, { 1234567.891, "1234567.89" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_autofree char *text = cb_intacct_format_amount (amounts[i].in);
      g_assert_cmpstr (text, ==, amounts[i].out);
    }

  bill = cb_intacct_apbill_new ("V100", "B-1", created, due, NULL);
  g_assert_cmpstr (cb_intacct_record_get_name (bill), ==, "APBILL");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "WHENCREATED"), ==, "03/05/2026");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "WHENDUE"), ==, "04/04/2026");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "VENDORID"), ==, "V100");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "RECORDID"), ==, "B-1");
  g_assert_false (cb_intacct_record_has_field (bill, "CURRENCY"));

  cb_intacct_apbill_add_line (bill, "6000", "10.50", "Lumber", "P1", "T1", "CT1", NULL, NULL, NULL);
  line = cb_intacct_apbill_add_line_amount (bill, "6100", 3.14159, NULL, NULL, NULL, NULL, "100",
                                            "D1", "I1");
  g_assert_cmpstr (cb_intacct_record_get_name (line), ==, "APBILLITEM");
  lines = cb_intacct_record_get_lines (bill, "APBILLITEMS");
  g_assert_cmpuint (lines->len, ==, 2);
  line = g_ptr_array_index (lines, 0);
  g_assert_cmpuint (cb_intacct_record_get_n_children (line), ==, 6);
  g_assert_cmpstr (cb_intacct_record_get_name (cb_intacct_record_get_nth_child (line, 0)), ==,
                   "ACCOUNTNO");
  g_assert_cmpstr (cb_intacct_record_get_field (line, "COSTTYPEID"), ==, "CT1");
  g_assert_false (cb_intacct_record_has_field (line, "LOCATIONID"));
  line = g_ptr_array_index (lines, 1);
  g_assert_cmpstr (cb_intacct_record_get_field (line, "TRX_AMOUNT"), ==, "3.14");
  g_assert_cmpstr (cb_intacct_record_get_field (line, "LOCATIONID"), ==, "100");
  g_assert_false (cb_intacct_record_has_field (line, "ENTRYDESCRIPTION"));
  g_assert_false (cb_intacct_record_has_field (line, "PROJECTID"));

  g_date_free (created);
  g_date_free (due);
}

/* }}} */

int
main (int    argc,
      char **argv)
{
  /* Debug output of the client on, so that its log lines are checked too. */
  show_debug = g_getenv ("G_MESSAGES_DEBUG") != NULL;
  if (!show_debug)
    g_setenv ("G_MESSAGES_DEBUG", "cb-intacct-client", TRUE);
  g_log_set_writer_func (check_log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/intacct-client/objects/table", test_objects_table);
  g_test_add_func ("/intacct-client/objects/bill", test_objects_bill);
  g_test_add_func ("/intacct-client/endpoint-table", test_endpoint_table);
  g_test_add_func ("/intacct-client/canned/session-reuse", test_canned_session_reuse);
  g_test_add_func ("/intacct-client/canned/session-refresh", test_canned_session_refresh);
  g_test_add_func ("/intacct-client/canned/session-invalid", test_canned_session_invalid);
  g_test_add_func ("/intacct-client/canned/tampered-endpoint", test_canned_tampered_endpoint);
  g_test_add_func ("/intacct-client/canned/http-errors", test_canned_http_errors);
  g_test_add_func ("/intacct-client/canned/retries-reads", test_canned_retries_reads);
  g_test_add_func ("/intacct-client/canned/writes-unsure", test_canned_writes_unsure);
  g_test_add_func ("/intacct-client/canned/rate-limited", test_canned_rate_limited);
  g_test_add_func ("/intacct-client/canned/timeout", test_canned_timeout);
  g_test_add_func ("/intacct-client/canned/cancel", test_canned_cancel);
  g_test_add_func ("/intacct-client/canned/entities-fallback", test_canned_entities_fallback);
  g_test_add_func ("/intacct-client/canned/refused", test_canned_refused);
  g_test_add_func ("/intacct-client/canned/tls", test_canned_tls);
  g_test_add_func ("/intacct-client/canned/in-flight", test_canned_in_flight);

  g_test_add ("/intacct-client/sandbox/session-reuse", SbFixture, NULL, sb_setup,
              test_sandbox_session_reuse, sb_teardown);
  g_test_add ("/intacct-client/sandbox/pager-all-objects", SbFixture, NULL, sb_setup,
              test_sandbox_pager_all_objects, sb_teardown);
  g_test_add ("/intacct-client/sandbox/crud", SbFixture, NULL, sb_setup, test_sandbox_crud,
              sb_teardown);
  g_test_add ("/intacct-client/sandbox/many-functions", SbFixture, NULL, sb_setup,
              test_sandbox_many_functions, sb_teardown);
  g_test_add ("/intacct-client/sandbox/entities", SbFixture, NULL, sb_setup,
              test_sandbox_entities, sb_teardown);
  g_test_add ("/intacct-client/sandbox/session-expiry", SbFixture, NULL, sb_setup,
              test_sandbox_session_expiry, sb_teardown);
  g_test_add ("/intacct-client/sandbox/faults-reads", SbFixture, NULL, sb_setup,
              test_sandbox_faults_reads, sb_teardown);
  g_test_add ("/intacct-client/sandbox/faults-writes", SbFixture, NULL, sb_setup,
              test_sandbox_faults_writes, sb_teardown);
  g_test_add ("/intacct-client/sandbox/result-errors", SbFixture, NULL, sb_setup,
              test_sandbox_result_errors, sb_teardown);
  g_test_add ("/intacct-client/sandbox/cancel", SbFixture, NULL, sb_setup, test_sandbox_cancel,
              sb_teardown);
  g_test_add ("/intacct-client/sandbox/in-flight", SbFixture, NULL, sb_setup,
              test_sandbox_in_flight, sb_teardown);

  return g_test_run ();
}
