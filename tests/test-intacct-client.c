/* test-intacct-client.c: the Intacct client and pager, against a canned loopback server
 * and against the sandbox gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-intacct-client"

#include "config.h"

#include <string.h>

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
  char         *api_endpoint;    /* what getAPISession hands out; NULL: ours */
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

      g_string_append_printf (out, "<result><status>success</status><function>%s</function>"
                                   "<controlid>%s</controlid>", function, control_id);
      if (g_str_equal (function, "getAPISession"))
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
  lb->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (lb->server, "/ia/xml/xmlgw.phtml", on_request_cb, lb, NULL);
  soup_server_listen_local (lb->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
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
loopback_new (void)
{
  Loopback *lb = g_new0 (Loopback, 1);

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

  cb_intacct_client_set_timeout (client, 1);
  g_assert_true (cb_intacct_client_connect (client, NULL, &error));

  /* A read that times out is sent again. */
  loopback_push_delay (lb, 2500);
  response = cb_intacct_client_execute (client, reads, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 1);

  /* A write that times out is unsure, and not sent again. */
  loopback_push_delay (lb, 2500);
  g_clear_pointer (&response, cb_intacct_response_free);
  response = cb_intacct_client_execute (client, mixed, CB_INTACCT_EXECUTE_UNIQUE, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_OUTCOME_UNKNOWN);
  assert_unsure_is_write (error, mixed);
  g_assert_cmpuint (cb_intacct_client_get_retry_count (client), ==, 1);

  g_clear_object (&client);
  /* Let the slow replies finish before the server goes. */
  g_usleep (2 * G_USEC_PER_SEC);
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
  g_test_add_func ("/intacct-client/canned/refused", test_canned_refused);
  g_test_add_func ("/intacct-client/canned/in-flight", test_canned_in_flight);

  return g_test_run ();
}
