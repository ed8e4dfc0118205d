/* test-sandbox.c: drive the sandbox gateway over real HTTP with handwritten requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests are written out by hand here (never by the core request writer) and replies
 * are read with libxml2 XPath, so the sandbox is checked against the reference alone.
 */

#define G_LOG_DOMAIN "test-sandbox"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "cb-sandbox.h"

typedef struct
{
  CbSandbox   *sandbox;
  SoupSession *session;
  char        *endpoint;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->sandbox = cb_sandbox_new ();
  g_assert_true (cb_sandbox_start (fx->sandbox, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cb_sandbox_get_port (fx->sandbox), >, 0);
  fx->endpoint = cb_sandbox_dup_endpoint (fx->sandbox);
  fx->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->session);
  cb_sandbox_stop (fx->sandbox);
  g_assert_finalize_object (fx->sandbox);
  g_free (fx->endpoint);
}

/* ---- request text --------------------------------------------------------------------- */

#define SENDER "<senderid>" CB_SANDBOX_SENDER_ID "</senderid><password>" \
               CB_SANDBOX_SENDER_SECRET "</password>"
#define LOGIN "<login><userid>" CB_SANDBOX_USER_ID "</userid><companyid>" \
              CB_SANDBOX_COMPANY_ID "</companyid><password>" CB_SANDBOX_USER_SECRET \
              "</password></login>"

static char *
request (const char *sender,
         const char *uniqueid,
         const char *transaction,
         const char *auth,
         const char *functions)
{
  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<request><control>%s<controlid>test-%u</controlid>"
                          "<uniqueid>%s</uniqueid><dtdversion>3.0</dtdversion>"
                          "<includewhitespace>false</includewhitespace></control>"
                          "<operation transaction=\"%s\"><authentication>%s</authentication>"
                          "<content>%s</content></operation></request>",
                          sender, g_random_int (), uniqueid, transaction, auth, functions);
}

static char *
login_request (const char *functions)
{
  return request (SENDER, "false", "false", LOGIN, functions);
}

static char *
login_entity_request (const char *entity,
                      const char *functions)
{
  g_autofree char *auth = g_strdup_printf ("<login><userid>" CB_SANDBOX_USER_ID "</userid>"
                                           "<companyid>" CB_SANDBOX_COMPANY_ID "</companyid>"
                                           "<password>" CB_SANDBOX_USER_SECRET "</password>"
                                           "<locationid>%s</locationid></login>", entity);
  return request (SENDER, "false", "false", auth, functions);
}

static char *
session_request (const char *sessionid,
                 const char *functions)
{
  g_autofree char *auth = g_strdup_printf ("<sessionid>%s</sessionid>", sessionid);

  return request (SENDER, "false", "false", auth, functions);
}

/* ---- HTTP and XPath ----------------------------------------------------------------------- */

/* Returns the parsed reply, or NULL when the body is not XML; *status gets the HTTP status
 * and *error the transport error, if any. */
static xmlDoc *
post_full (Fixture     *fx,
           const char  *body,
           guint       *status,
           GError     **error)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", fx->endpoint);
  g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/xml", req);
  reply = soup_session_send_and_read (fx->session, msg, NULL, error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  if (reply == NULL)
    return NULL;
  return xmlReadMemory (g_bytes_get_data (reply, NULL), (int) g_bytes_get_size (reply),
                        "reply.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static xmlDoc *
post (Fixture    *fx,
      const char *body)
{
  g_autoptr(GError) error = NULL;
  guint status = 0;
  xmlDoc *doc = post_full (fx, body, &status, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (doc);
  return doc;
}

static char *
xp (xmlDoc     *doc,
    const char *format,
    ...) G_GNUC_PRINTF (2, 3);

static char *
xp (xmlDoc     *doc,
    const char *format,
    ...)
{
  g_autofree char *expr = NULL;
  g_autofree char *wrapped = NULL;
  xmlXPathContext *ctx = xmlXPathNewContext (doc);
  xmlXPathObject *obj;
  char *out;
  va_list ap;

  va_start (ap, format);
  expr = g_strdup_vprintf (format, ap);
  va_end (ap);
  wrapped = g_strdup_printf ("string(%s)", expr);
  obj = xmlXPathEvalExpression (BAD_CAST wrapped, ctx);
  g_assert_nonnull (obj);
  out = g_strdup ((const char *) obj->stringval);
  xmlXPathFreeObject (obj);
  xmlXPathFreeContext (ctx);
  return out;
}

static guint
xp_count (xmlDoc     *doc,
          const char *expr)
{
  g_autofree char *wrapped = g_strdup_printf ("count(%s)", expr);
  xmlXPathContext *ctx = xmlXPathNewContext (doc);
  xmlXPathObject *obj = xmlXPathEvalExpression (BAD_CAST wrapped, ctx);
  guint n;

  g_assert_nonnull (obj);
  n = (guint) obj->floatval;
  xmlXPathFreeObject (obj);
  xmlXPathFreeContext (ctx);
  return n;
}

#define assert_xp(doc, expected, ...) \
  G_STMT_START { \
    g_autofree char *_v = xp (doc, __VA_ARGS__); \
    g_assert_cmpstr (_v, ==, expected); \
  } G_STMT_END

#define assert_xp_contains(doc, needle, ...) \
  G_STMT_START { \
    g_autofree char *_v = xp (doc, __VA_ARGS__); \
    if (strstr (_v, needle) == NULL) \
      g_error ("“%s” does not contain “%s”", _v, needle); \
  } G_STMT_END

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

static char *
get_session (Fixture    *fx,
             const char *login_entity)
{
  g_autofree char *body = login_entity
    ? login_entity_request (login_entity, "<function controlid=\"s\"><getAPISession/></function>")
    : login_request ("<function controlid=\"s\"><getAPISession/></function>");
  g_autoptr(xmlDoc) doc = post (fx, body);

  assert_xp (doc, "success", "/response/operation/result/status");
  return xp (doc, "/response/operation/result/data/api/sessionid");
}

static guint
vendor_total (Fixture    *fx,
              const char *body)
{
  g_autoptr(xmlDoc) doc = post (fx, body);
  g_autofree char *total = xp (doc, "/response/operation/result/data/@totalcount");

  assert_xp (doc, "success", "/response/operation/result/status");
  return (guint) g_ascii_strtoull (total, NULL, 10);
}

#define RBQ(object, query, pagesize) \
  "<function controlid=\"q\"><readByQuery><object>" object "</object><fields>*</fields>" \
  "<query>" query "</query><pagesize>" pagesize "</pagesize></readByQuery></function>"

/* ---- control level -------------------------------------------------------------------------- */

static void
test_control_failures (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *bad_sender = request ("<senderid>costbridge</senderid><password>nope"
                                         "</password>", "false", "false", LOGIN, "");
  g_autofree char *functions = g_strdup (RBQ ("VENDOR", "", "1"));
  g_autofree char *ok = login_request (functions);
  g_autoptr(xmlDoc) doc = post (fx, bad_sender);
  g_autofree char *bad_dtd = NULL;

  assert_xp (doc, "failure", "/response/control/status");
  assert_xp (doc, "XL03000006", "/response/control/following-sibling::errormessage/error/errorno");
  assert_xp_contains (doc, "Invalid Web Services sender credentials",
                      "/response/errormessage/error/description2");
  assert_xp_contains (doc, "[Support ID: ", "/response/errormessage/error/description2");
  assert_xp_contains (doc, "%7E", "/response/errormessage/error/description2");
  g_assert_cmpuint (xp_count (doc, "/response/operation"), ==, 0);
  g_clear_pointer (&doc, xmlFreeDoc);

  cb_sandbox_set_sender_authorized (fx->sandbox, FALSE);
  doc = post (fx, ok);
  assert_xp (doc, "failure", "/response/control/status");
  assert_xp (doc, "XL03000006", "/response/errormessage/error/errorno");
  assert_xp_contains (doc, "Invalid Web Services Authorization",
                      "/response/errormessage/error/description2");
  assert_xp_contains (doc, "Web Services authorizations",
                      "/response/errormessage/error/correction");
  g_clear_pointer (&doc, xmlFreeDoc);
  cb_sandbox_set_sender_authorized (fx->sandbox, TRUE);

  doc = post (fx, "<request><control>oops");
  assert_xp (doc, "failure", "/response/control/status");
  assert_xp (doc, "XL03000003", "/response/errormessage/error/errorno");
  g_clear_pointer (&doc, xmlFreeDoc);

  bad_dtd = g_strdup (ok);
  memcpy (strstr (bad_dtd, "<dtdversion>3.0") + strlen ("<dtdversion>"), "2.1", 3);
  doc = post (fx, bad_dtd);
  assert_xp (doc, "failure", "/response/control/status");
  assert_xp (doc, "XL03000003", "/response/errormessage/error/errorno");
  g_clear_pointer (&doc, xmlFreeDoc);

  /* the control block echoes what was sent */
  doc = post (fx, ok);
  assert_xp (doc, "success", "/response/control/status");
  assert_xp (doc, CB_SANDBOX_SENDER_ID, "/response/control/senderid");
  assert_xp (doc, "false", "/response/control/uniqueid");
  assert_xp (doc, "3.0", "/response/control/dtdversion");
  assert_xp_contains (doc, "test-", "/response/control/controlid");
}

/* ---- authentication and sessions ---------------------------------------------------------- */

static void
test_login_failures (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *bad = request (SENDER, "false", "false",
                                  "<login><userid>" CB_SANDBOX_USER_ID "</userid><companyid>"
                                  CB_SANDBOX_COMPANY_ID "</companyid><password>wrong"
                                  "</password></login>", RBQ ("VENDOR", "", "1"));
  g_autofree char *bad_entity = login_entity_request ("999", RBQ ("VENDOR", "", "1"));
  g_autofree char *bad_session = session_request ("no-such-session", RBQ ("VENDOR", "", "1"));
  g_autoptr(xmlDoc) doc = post (fx, bad);

  assert_xp (doc, "success", "/response/control/status");
  assert_xp (doc, "failure", "/response/operation/authentication/status");
  assert_xp (doc, "XL03000006", "/response/operation/errormessage/error/errorno");
  assert_xp_contains (doc, "Sign-in information is incorrect",
                      "/response/operation/errormessage/error/description2");
  g_assert_cmpuint (xp_count (doc, "/response/operation/result"), ==, 0);
  g_clear_pointer (&doc, xmlFreeDoc);

  doc = post (fx, bad_entity);
  assert_xp (doc, "failure", "/response/operation/authentication/status");
  assert_xp_contains (doc, "'999' is not an entity",
                      "/response/operation/errormessage/error/description2");
  g_clear_pointer (&doc, xmlFreeDoc);

  doc = post (fx, bad_session);
  assert_xp (doc, "failure", "/response/operation/authentication/status");
  assert_xp_contains (doc, "Invalid session",
                      "/response/operation/errormessage/error/description2");
  g_assert_cmpuint (cb_sandbox_get_login_count (fx->sandbox), ==, 0);
}

static void
test_session_flow (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *sid = get_session (fx, NULL);
  g_autofree char *body = session_request (sid, RBQ ("GLACCOUNT", "", "100")
                                           "<function controlid=\"e\"><readEntityDetails/>"
                                           "</function>");
  g_autofree char *endpoint = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *timeout = NULL;

  g_assert_cmpuint (strlen (sid), >=, 20);
  g_assert_cmpuint (cb_sandbox_get_login_count (fx->sandbox), ==, 1);

  doc = post (fx, body);
  assert_xp (doc, "success", "/response/operation/authentication/status");
  assert_xp (doc, "", "/response/operation/authentication/locationid");
  timeout = xp (doc, "/response/operation/authentication/sessiontimeout");
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d$",
                                       timeout, 0, 0));
  assert_xp (doc, "15", "/response/operation/result[1]/data/@count");
  assert_xp (doc, "2", "/response/operation/result[2]/data/@count");
  assert_xp (doc, "North Division", "//result[2]/data/entity[id='100']/name");
  assert_xp (doc, "USD", "//result[2]/data/entity[id='200']/currency");
  g_clear_pointer (&doc, xmlFreeDoc);
  g_assert_cmpuint (cb_sandbox_get_login_count (fx->sandbox), ==, 1);

  /* the endpoint handed back is this server */
  g_free (body);
  body = session_request (sid, "<function controlid=\"s2\"><getAPISession>"
                               "<locationid>200</locationid></getAPISession></function>");
  doc = post (fx, body);
  endpoint = xp (doc, "//result/data/api/endpoint");
  g_assert_cmpstr (endpoint, ==, fx->endpoint);
  assert_xp (doc, "200", "//result/data/api/locationid");
  /* the authentication block still shows the session the request used */
  assert_xp (doc, "", "/response/operation/authentication/locationid");
  {
    g_autofree char *sid2 = xp (doc, "//result/data/api/sessionid");
    g_assert_cmpstr (sid2, !=, sid);
  }
}

static void
test_session_expiry (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *sid = NULL;
  g_autofree char *body = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  cb_sandbox_set_session_lifetime (fx->sandbox, 1);
  sid = get_session (fx, NULL);
  body = session_request (sid, RBQ ("VENDOR", "", "1"));
  doc = post (fx, body);
  assert_xp (doc, "success", "/response/operation/authentication/status");
  g_clear_pointer (&doc, xmlFreeDoc);

  g_usleep (1600 * 1000);
  doc = post (fx, body);
  assert_xp (doc, "failure", "/response/operation/authentication/status");
  assert_xp_contains (doc, "Invalid session: the session has expired or does not exist",
                      "/response/operation/errormessage/error/description2");
  g_clear_pointer (&doc, xmlFreeDoc);

  /* the expire fault ends live sessions too */
  cb_sandbox_set_session_lifetime (fx->sandbox, 3600);
  g_free (sid);
  sid = get_session (fx, NULL);
  g_free (body);
  body = session_request (sid, RBQ ("VENDOR", "", "1"));
  cb_sandbox_add_fault (fx->sandbox, CB_SANDBOX_FAULT_EXPIRE_SESSION, 1, 1);
  doc = post (fx, body);
  assert_xp (doc, "success", "/response/operation/authentication/status");
  g_clear_pointer (&doc, xmlFreeDoc);
  doc = post (fx, body);
  assert_xp (doc, "failure", "/response/operation/authentication/status");
}

static void
test_entity_scoping (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *north = get_session (fx, CB_SANDBOX_ENTITY_NORTH);
  g_autofree char *south = get_session (fx, NULL);
  g_autofree char *top = login_request (RBQ ("VENDOR", "", "1"));
  g_autofree char *n_read = session_request (north, RBQ ("VENDOR", "", "1"));
  g_autofree char *s_read = NULL;
  g_autofree char *create = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  /* switch the second session to the South entity */
  {
    g_autofree char *body = session_request (south, "<function controlid=\"sw\"><getAPISession>"
                                                    "<locationid>200</locationid>"
                                                    "</getAPISession></function>");
    doc = post (fx, body);
    g_free (south);
    south = xp (doc, "//result/data/api/sessionid");
    g_clear_pointer (&doc, xmlFreeDoc);
  }
  s_read = session_request (south, RBQ ("VENDOR", "", "1"));

  g_assert_cmpuint (vendor_total (fx, top), ==, 50);
  g_assert_cmpuint (vendor_total (fx, n_read), ==, 45);
  g_assert_cmpuint (vendor_total (fx, s_read), ==, 45);

  create = session_request (north, "<function controlid=\"c\"><create><VENDOR>"
                                   "<VENDORID>N9001</VENDORID><NAME>North Only Supply</NAME>"
                                   "<DISPLAYCONTACT><PRINTAS>North Only Supply</PRINTAS>"
                                   "</DISPLAYCONTACT></VENDOR></create></function>");
  doc = post (fx, create);
  assert_xp (doc, "success", "//result/status");
  assert_xp (doc, "100", "/response/operation/authentication/locationid");
  g_clear_pointer (&doc, xmlFreeDoc);

  g_assert_cmpuint (vendor_total (fx, top), ==, 51);
  g_assert_cmpuint (vendor_total (fx, n_read), ==, 46);
  g_assert_cmpuint (vendor_total (fx, s_read), ==, 45);

  /* a South session cannot reference a North project */
  {
    g_autofree char *body = session_request (south, "<function controlid=\"t\"><create><TASK>"
                                                    "<TASKID>X1</TASKID><NAME>X</NAME>"
                                                    "<PROJECTID>24-101</PROJECTID>"
                                                    "<TASKSTATUS>Planned</TASKSTATUS></TASK>"
                                                    "</create></function>");
    doc = post (fx, body);
    assert_xp (doc, "failure", "//result/status");
    assert_xp_contains (doc, "PROJECTID '24-101'", "//result/errormessage/error/description2");
  }
}

/* ---- reads ------------------------------------------------------------------------------- */

static void
test_read_by_query_paging (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *body = login_request ("<function controlid=\"q\"><readByQuery>"
                                         "<object>VENDOR</object><fields>RECORDNO,VENDORID"
                                         "</fields><query></query><pagesize>7</pagesize>"
                                         "</readByQuery></function>");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(xmlDoc) doc = post (fx, body);
  g_autofree char *result_id = xp (doc, "//result/data/@resultId");
  guint pages = 1, last_recordno = 0;

  assert_xp (doc, "vendor", "//result/data/@listtype");
  assert_xp (doc, "50", "//result/data/@totalcount");
  assert_xp (doc, "43", "//result/data/@numremaining");
  g_assert_cmpstr (result_id, !=, "");
  g_assert_cmpuint (xp_count (doc, "//result/data/vendor/*[not(self::RECORDNO) and "
                                   "not(self::VENDORID)]"), ==, 0);

  for (;;)
    {
      guint n = xp_count (doc, "//result/data/vendor");
      g_autofree char *remaining = xp (doc, "//result/data/@numremaining");
      g_autofree char *next = NULL;
      g_autofree char *more = NULL;

      for (guint i = 1; i <= n; i++)
        {
          g_autofree char *id = xp (doc, "//result/data/vendor[%u]/VENDORID", i);
          g_autofree char *no = xp (doc, "//result/data/vendor[%u]/RECORDNO", i);
          guint recordno = (guint) g_ascii_strtoull (no, NULL, 10);

          g_assert_true (g_hash_table_add (seen, g_steal_pointer (&id)));
          g_assert_cmpuint (recordno, >, last_recordno);
          last_recordno = recordno;
        }
      if (strcmp (remaining, "0") == 0)
        {
          assert_xp (doc, "", "//result/data/@resultId");
          break;
        }
      more = g_strdup_printf ("<function controlid=\"m\"><readMore><resultId>%s</resultId>"
                              "</readMore></function>", result_id);
      g_free (body);
      body = login_request (more);
      g_clear_pointer (&doc, xmlFreeDoc);
      doc = post (fx, body);
      assert_xp (doc, "success", "//result/status");
      assert_xp (doc, "readMore", "//result/function");
      pages++;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 50);
  g_assert_cmpuint (pages, ==, 8);

  /* the finished resultId is gone */
  g_clear_pointer (&doc, xmlFreeDoc);
  doc = post (fx, body);
  assert_xp (doc, "failure", "//result/status");
  assert_xp (doc, "readMore failed", "//result/errormessage/error/errorno");
  assert_xp_contains (doc, "invalid or expired resultId", "//result/errormessage/error/description2");
}

static void
test_page_size_limits (Fixture       *fx,
                       gconstpointer  data)
{
  static const struct { const char *fn; const char *status; } cases[] = {
    { RBQ ("VENDOR", "", "1000"), "success" },
    { RBQ ("VENDOR", "", "1001"), "failure" },
    { RBQ ("VENDOR", "", "0"), "failure" },
    { RBQ ("VENDOR", "", "ten"), "failure" },
    { "<function controlid=\"q\"><query><object>VENDOR</object><select><field>VENDORID</field>"
      "</select><pagesize>2000</pagesize></query></function>", "success" },
    { "<function controlid=\"q\"><query><object>VENDOR</object><select><field>VENDORID</field>"
      "</select><pagesize>2001</pagesize></query></function>", "failure" },
  };
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *body = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *b = login_request (cases[i].fn);
      g_autoptr(xmlDoc) d = post (fx, b);
      assert_xp (d, cases[i].status, "//result/status");
    }

  /* default page size is 100 */
  cb_sandbox_add_generated_vendors (fx->sandbox, 150);
  body = login_request ("<function controlid=\"q\"><readByQuery><object>VENDOR</object>"
                        "<fields>VENDORID</fields><query/></readByQuery></function>");
  doc = post (fx, body);
  assert_xp (doc, "100", "//result/data/@count");
  assert_xp (doc, "200", "//result/data/@totalcount");
}

static void
test_read_by_query_expressions (Fixture       *fx,
                                gconstpointer  data)
{
  static const struct { const char *query; guint total; } cases[] = {
    { "", 50 },
    { "STATUS = 'inactive'", 4 },
    { "NOT (STATUS = 'active')", 4 },
    { "STATUS != 'active'", 4 },
    { "STATUS &lt;&gt; 'active'", 4 },
    { "VENDORID IN ('V1001', 'V1002', 'NOPE')", 2 },
    { "VENDORID NOT IN ('V1001', 'V1002')", 48 },
    { "NAME LIKE '%Rebar%'", 2 },
    { "NAME like 'Keystone%' or NAME like 'Gulf%'", 2 },
    { "VENDORID NOT LIKE 'V%'", 10 },
    { "VENDORID LIKE 'V10_1'", 4 },
    { "TAXID IS NULL", 0 },
    { "TAXID IS NOT NULL", 50 },
    { "RECORDNO &gt; 0 AND (VENDORID = 'V1001' OR VENDORID = 'V1002') AND STATUS = 'active'", 2 },
    { "status = 'inactive'", 4 },            /* field names in any case */
    { "STATUS = 'INACTIVE'", 0 },            /* values are case sensitive */
    { "NAME = 'Copperfield Plumbing &amp; Heating'", 1 },
    { "NAME = 'O\\'Brien'", 0 },
    /* timestamps compare in time order across years (seed data: 01/15/2024 09:00:00) */
    { "WHENMODIFIED &gt; '12/31/2023 23:59:59'", 50 },
    { "WHENMODIFIED &gt;= '01/15/2024 09:00:01'", 0 },
    { "WHENMODIFIED &gt;= '01/15/2024 09:00:00'", 50 },
    { "WHENMODIFIED &lt; '02/01/2024'", 50 },
  };
  static const char *const bad[] = {
    "STATUS = ",
    "STATUS = 'active",
    "STATUS 'active'",
    "(STATUS = 'active'",
    "STATUS = 'active' AND",
    "VENDORID IN ()",
    "STATUS ~ 'x'",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fn = g_strdup_printf ("<function controlid=\"q\"><readByQuery><object>"
                                             "VENDOR</object><fields>VENDORID</fields><query>"
                                             "%s</query></readByQuery></function>",
                                             cases[i].query);
      g_autofree char *body = login_request (fn);

      g_test_message ("query: %s", cases[i].query);
      g_assert_cmpuint (vendor_total (fx, body), ==, cases[i].total);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *fn = g_strdup_printf ("<function controlid=\"q\"><readByQuery><object>"
                                             "VENDOR</object><fields>VENDORID</fields><query>"
                                             "%s</query></readByQuery></function>", bad[i]);
      g_autofree char *body = login_request (fn);
      g_autoptr(xmlDoc) doc = post (fx, body);

      g_test_message ("bad query: %s", bad[i]);
      assert_xp (doc, "failure", "//result/status");
      assert_xp_contains (doc, "Query syntax error", "//result/errormessage/error/description2");
    }

  /* dates compare as dates, numbers as numbers */
  {
    g_autofree char *body = login_request (RBQ ("APBILL", "WHENDUE &gt; '12/31/2023' AND "
                                                "TOTALENTERED &gt;= 2475.5", "100"));
    g_assert_cmpuint (vendor_total (fx, body), ==, 5);
  }
  /* unknown objects */
  {
    g_autofree char *body = login_request (RBQ ("BADOBJECT", "", "10"));
    g_autoptr(xmlDoc) doc = post (fx, body);
    assert_xp (doc, "failure", "//result/status");
    assert_xp_contains (doc, "Object definition BADOBJECT not found",
                        "//result/errormessage/error/description2");
  }
}

static void
test_query_function (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *body = login_request (
    "<function controlid=\"q1\"><query><object>COSTTYPE</object><select>"
    "<field>RECORDNO</field><field>COSTTYPEID</field><field>TASKID</field></select>"
    "<filter><and><equalto><field>PROJECTID</field><value>24-001</value></equalto>"
    "<in><field>COSTTYPEID</field><value>L</value><value>M</value></in></and></filter>"
    "<orderby><order><field>TASKID</field><descending/></order>"
    "<order><field>COSTTYPEID</field><ascending/></order></orderby>"
    "<pagesize>3</pagesize><offset>2</offset></query></function>"
    "<function controlid=\"q2\"><query><object>VENDOR</object><select><field>VENDORID</field>"
    "</select><filter><or><like><field>NAME</field><value>%rebar%</value></like>"
    "<between><field>VENDORID</field><value>V1001</value><value>V1003</value></between>"
    "</or></filter><options><caseinsensitive>true</caseinsensitive></options></query></function>"
    "<function controlid=\"q3\"><query><object>VENDOR</object><select><field>*</field>"
    "</select></query></function>"
    "<function controlid=\"q4\"><query><object>VENDOR</object><select><field>VENDORID</field>"
    "</select><filter><isnull><field>TAXID</field></isnull></filter></query></function>");
  g_autoptr(xmlDoc) doc = post (fx, body);

  /* 4 tasks x {L, M} = 8 rows; sorted by TASKID descending then L before M */
  assert_xp (doc, "success", "//result[1]/status");
  assert_xp (doc, "COSTTYPE", "//result[1]/data/@listtype");
  assert_xp (doc, "8", "//result[1]/data/@totalcount");
  assert_xp (doc, "2", "//result[1]/data/@offset");
  assert_xp (doc, "3", "//result[1]/data/@count");
  assert_xp (doc, "3", "//result[1]/data/@numremaining");
  assert_xp (doc, "L", "//result[1]/data/COSTTYPE[1]/COSTTYPEID");
  assert_xp (doc, "M", "//result[1]/data/COSTTYPE[2]/COSTTYPEID");
  {
    g_autofree char *t1 = xp (doc, "//result[1]/data/COSTTYPE[1]/TASKID");
    g_autofree char *t3 = xp (doc, "//result[1]/data/COSTTYPE[3]/TASKID");
    g_assert_cmpstr (t1, >, t3);
  }
  g_assert_cmpuint (xp_count (doc, "//result[1]/data/COSTTYPE[1]/*"), ==, 3);

  /* case-insensitive like: V1002 Keystone Rebar, S1047 Gulf Coast Rebar; between
   * V1001..V1003: V1001, V1002, V1003 */
  assert_xp (doc, "4", "//result[2]/data/@totalcount");
  assert_xp (doc, "failure", "//result[3]/status");
  assert_xp (doc, "0", "//result[4]/data/@totalcount");
}

static void
test_read_and_read_by_name (Fixture       *fx,
                            gconstpointer  data)
{
  g_autofree char *body = login_request (
    "<function controlid=\"n\"><readByName><object>VENDOR</object><keys>V1002,V1004,NOPE</keys>"
    "<fields>*</fields></readByName></function>"
    "<function controlid=\"b\"><readByQuery><object>APBILL</object><fields>RECORDNO</fields>"
    "<query>RECORDID = 'INV-5001'</query></readByQuery></function>");
  g_autoptr(xmlDoc) doc = post (fx, body);
  g_autofree char *bill_no = NULL;
  g_autofree char *read = NULL;

  assert_xp (doc, "VENDOR", "//result[1]/data/@listtype");
  assert_xp (doc, "2", "//result[1]/data/@count");
  assert_xp (doc, "Keystone Rebar Supply", "//result[1]/data/VENDOR[VENDORID='V1002']/NAME");
  assert_xp (doc, "ap@keystonerebar.com",
             "//result[1]/data/VENDOR[VENDORID='V1002']/DISPLAYCONTACT/EMAIL1");
  bill_no = xp (doc, "//result[2]/data/apbill/RECORDNO");
  g_assert_cmpstr (bill_no, !=, "");
  g_clear_pointer (&doc, xmlFreeDoc);

  read = g_strdup_printf ("<function controlid=\"r\"><read><object>APBILL</object>"
                          "<keys>%s,999999</keys><fields>*</fields></read></function>", bill_no);
  g_free (body);
  body = login_request (read);
  doc = post (fx, body);
  assert_xp (doc, "success", "//result/status");
  assert_xp (doc, "APBILL", "//result/data/@listtype");
  assert_xp (doc, "1", "//result/data/@count");
  assert_xp (doc, "V1001", "//result/data/APBILL/VENDORID");
  g_assert_cmpuint (xp_count (doc, "//result/data/APBILL/APBILLITEMS/APBILLITEM"), ==, 2);
  assert_xp (doc, "5200", "//APBILLITEM[LINE_NO='1']/ACCOUNTNO");
}

/* ---- writes -------------------------------------------------------------------------------- */

static const char create_vendor[] =
  "<function controlid=\"cv\"><create><VENDOR><VENDORID>V2001</VENDORID>"
  "<NAME>Fresh Concrete Co</NAME><TAXID>12-3456789</TAXID><DISPLAYCONTACT>"
  "<PRINTAS>Fresh Concrete Co</PRINTAS><EMAIL1>ap@freshconcrete.example</EMAIL1>"
  "</DISPLAYCONTACT></VENDOR><STANDARDTASK><STANDARDTASKID>99-100</STANDARDTASKID>"
  "<NAME>Special Work</NAME></STANDARDTASK></create></function>";

static void
test_create_update_delete (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *body = login_request (create_vendor);
  g_autoptr(xmlDoc) doc = post (fx, body);
  g_autofree char *recordno = NULL;
  g_autofree char *fn = NULL;

  assert_xp (doc, "success", "//result/status");
  assert_xp (doc, "create", "//result/function");
  assert_xp (doc, "cv", "//result/controlid");
  assert_xp (doc, "objects", "//result/data/@listtype");
  assert_xp (doc, "2", "//result/data/@count");
  assert_xp (doc, "V2001", "//result/data/vendor/VENDORID");
  assert_xp (doc, "99-100", "//result/data/standardtask/STANDARDTASKID");
  recordno = xp (doc, "//result/data/vendor/RECORDNO");
  g_assert_cmpuint (g_ascii_strtoull (recordno, NULL, 10), >, 0);
  g_clear_pointer (&doc, xmlFreeDoc);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", "VENDORID", "V2001"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", "STATUS", "active"), ==, 47);

  /* update by ID, then by RECORDNO */
  fn = g_strdup_printf ("<function controlid=\"u1\"><update><VENDOR><VENDORID>V2001</VENDORID>"
                        "<NAME>Fresh Concrete Company</NAME></VENDOR></update></function>"
                        "<function controlid=\"u2\"><update><VENDOR><RECORDNO>%s</RECORDNO>"
                        "<STATUS>inactive</STATUS></VENDOR></update></function>"
                        "<function controlid=\"u3\"><update><VENDOR><VENDORID>V9999</VENDORID>"
                        "<NAME>x</NAME></VENDOR></update></function>"
                        "<function controlid=\"u4\"><update><TASK><TASKID>01-310</TASKID>"
                        "<NAME>x</NAME></TASK></update></function>", recordno);
  g_free (body);
  body = login_request (fn);
  doc = post (fx, body);
  assert_xp (doc, "success", "//result[1]/status");
  assert_xp (doc, "V2001", "//result[1]/data/vendor/VENDORID");
  assert_xp (doc, "success", "//result[2]/status");
  assert_xp (doc, "failure", "//result[3]/status");
  assert_xp_contains (doc, "Cannot update non-existing VENDOR",
                      "//result[3]/errormessage/error/description2");
  assert_xp (doc, "failure", "//result[4]/status");
  assert_xp_contains (doc, "RECORDNO is required", "//result[4]/errormessage/error/description2");
  g_clear_pointer (&doc, xmlFreeDoc);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", "NAME",
                                              "Fresh Concrete Company"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", "STATUS", "inactive"), ==, 5);

  /* delete by RECORDNO; a second delete finds nothing */
  g_free (fn);
  fn = g_strdup_printf ("<function controlid=\"d\"><delete><object>VENDOR</object>"
                        "<keys>%s</keys></delete></function>", recordno);
  g_free (body);
  body = login_request (fn);
  doc = post (fx, body);
  assert_xp (doc, "success", "//result/status");
  g_assert_cmpuint (xp_count (doc, "//result/data"), ==, 0);
  g_clear_pointer (&doc, xmlFreeDoc);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", "VENDORID", "V2001"), ==, 0);
  doc = post (fx, body);
  assert_xp (doc, "failure", "//result/status");
  assert_xp (doc, "BL01001973", "//result/errormessage/error/errorno");
  assert_xp_contains (doc, "Cannot find vendor with key", "//result/errormessage/error/description2");
}

static void
test_required_and_duplicates (Fixture       *fx,
                              gconstpointer  data)
{
  g_autofree char *body = login_request (
    "<function controlid=\"r1\"><create><VENDOR><VENDORID>V3001</VENDORID>"
    "<DISPLAYCONTACT><PRINTAS>x</PRINTAS></DISPLAYCONTACT></VENDOR></create></function>"
    "<function controlid=\"r2\"><create><PROJECT><PROJECTID>P1</PROJECTID><NAME>x</NAME>"
    "</PROJECT></create></function>"
    "<function controlid=\"r3\"><create><VENDOR><VENDORID>V1001</VENDORID><NAME>Dup</NAME>"
    "<DISPLAYCONTACT><PRINTAS>Dup</PRINTAS></DISPLAYCONTACT></VENDOR></create></function>"
    "<function controlid=\"r4\"><create><TASK><TASKID>N1</TASKID><NAME>x</NAME>"
    "<PROJECTID>24-001</PROJECTID><TASKSTATUS>Sleeping</TASKSTATUS></TASK></create></function>"
    "<function controlid=\"r5\"><create><STANDARDCOSTTYPE><STANDARDCOSTTYPEID>THIRTEENCHARS"
    "</STANDARDCOSTTYPEID><NAME>x</NAME></STANDARDCOSTTYPE></create></function>"
    "<function controlid=\"r6\"><create><COSTTYPE><STANDARDCOSTTYPEID>E</STANDARDCOSTTYPEID>"
    "<PROJECTID>24-001</PROJECTID><TASKID>99-999</TASKID></COSTTYPE></create></function>"
    "<function controlid=\"r7\"><create><TASK><TASKID>01-310</TASKID><NAME>Again</NAME>"
    "<PROJECTID>24-001</PROJECTID><TASKSTATUS>Planned</TASKSTATUS></TASK></create></function>"
    "<function controlid=\"r8\"><create><TASK><TASKID>01-310</TASKID><NAME>Other project</NAME>"
    "<PROJECTID>24-002</PROJECTID><TASKSTATUS>Planned</TASKSTATUS></TASK>"
    "<COSTTYPE><STANDARDCOSTTYPEID>E</STANDARDCOSTTYPEID><PROJECTID>24-002</PROJECTID>"
    "<TASKID>01-310</TASKID></COSTTYPE></create></function>");
  g_autoptr(xmlDoc) doc = post (fx, body);

  assert_xp (doc, "failure", "//result[1]/status");
  assert_xp_contains (doc, "Required field NAME", "//result[1]/errormessage/error[1]/description2");
  assert_xp (doc, "0", "//result[1]/data/@count");
  assert_xp_contains (doc, "Required field PROJECTCATEGORY",
                      "//result[2]/errormessage/error[1]/description2");
  assert_xp (doc, "BL34000061", "//result[3]/errormessage/error[1]/errorno");
  assert_xp_contains (doc, "Another record with the value V1001 already exists",
                      "//result[3]/errormessage/error[1]/description2");
  assert_xp (doc, "BL01001973", "//result[3]/errormessage/error[2]/errorno");
  assert_xp_contains (doc, "TASKSTATUS 'Sleeping'", "//result[4]/errormessage/error/description2");
  assert_xp_contains (doc, "longer than 12", "//result[5]/errormessage/error/description2");
  assert_xp_contains (doc, "not a task of project", "//result[6]/errormessage/error/description2");
  assert_xp (doc, "BL34000061", "//result[7]/errormessage/error[1]/errorno");
  /* a TASKID is unique within its project only; the cost type defaults its ID and name */
  assert_xp (doc, "success", "//result[8]/status");
  assert_xp (doc, "E", "//result[8]/data/costtype/COSTTYPEID");
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "COSTTYPE", "NAME", "Equipment"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", NULL, NULL), ==, 50);
  g_assert_cmpuint (cb_sandbox_get_write_count (fx->sandbox), ==, 2);
}

#define BILL(recordid, vendor, lines) \
  "<APBILL><RECORDID>" recordid "</RECORDID><VENDORID>" vendor "</VENDORID>" \
  "<WHENCREATED>04/01/2024</WHENCREATED><WHENDUE>05/01/2024</WHENDUE>" \
  "<APBILLITEMS>" lines "</APBILLITEMS></APBILL>"
#define LINE(account, amount, extra) \
  "<APBILLITEM><ACCOUNTNO>" account "</ACCOUNTNO><TRX_AMOUNT>" amount "</TRX_AMOUNT>" extra \
  "</APBILLITEM>"

static void
test_apbill_checks (Fixture       *fx,
                    gconstpointer  data)
{
  static const struct { const char *bill; const char *message; } cases[] = {
    { BILL ("B-1", "V1001", LINE ("5100", "10.00", "<PROJECTID>24-001</PROJECTID>"
                                  "<TASKID>01-310</TASKID><COSTTYPEID>M</COSTTYPEID>")), NULL },
    { BILL ("B-1", "V1001", LINE ("5100", "10.00", "")), "already exists" },
    { BILL ("B-1", "V1002", LINE ("5100", "10.00", "")), NULL },
    { BILL ("B-2", "V1037", LINE ("5100", "10.00", "")), "inactive" },
    { BILL ("B-3", "NOPE", LINE ("5100", "10.00", "")), "VENDORID 'NOPE'" },
    { BILL ("B-4", "V1001", LINE ("9999", "10.00", "")), "ACCOUNTNO '9999'" },
    { BILL ("B-5", "V1001", LINE ("5100", "ten", "")), "TRX_AMOUNT 'ten'" },
    { BILL ("B-6", "V1001", LINE ("5100", "1", "<TASKID>01-310</TASKID>")), "TASKID requires" },
    { BILL ("B-7", "V1001", LINE ("5100", "1", "<PROJECTID>24-001</PROJECTID>"
                                  "<COSTTYPEID>M</COSTTYPEID>")), "COSTTYPEID requires" },
    { BILL ("B-8", "V1001", LINE ("5100", "1", "<PROJECTID>24-001</PROJECTID>"
                                  "<TASKID>03-300</TASKID>")), "not a task of project" },
    { BILL ("B-9", "V1001", LINE ("5100", "1", "<PROJECTID>24-001</PROJECTID>"
                                  "<TASKID>01-310</TASKID><COSTTYPEID>E</COSTTYPEID>")),
      "COSTTYPEID 'E'" },
    { BILL ("B-10", "V1001", LINE ("5100", "1", "<LOCATIONID>999</LOCATIONID>")),
      "LOCATIONID '999'" },
    { BILL ("B-11", "V1001", LINE ("5100", "1", "<DEPARTMENTID>NOPE</DEPARTMENTID>")),
      "DEPARTMENTID 'NOPE'" },
    { BILL ("B-12", "V1001", ""), "at least one line" },
    { "<APBILL><VENDORID>V1001</VENDORID><APBILLITEMS>" LINE ("5100", "1", "")
      "</APBILLITEMS></APBILL>", "WHENCREATED" },
    { "<APBILL><ACTION>Draft</ACTION><APBILLITEMS>" LINE ("5100", "1", "")
      "</APBILLITEMS></APBILL>", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fn = g_strdup_printf ("<function controlid=\"b%u\"><create>%s</create>"
                                             "</function>", i, cases[i].bill);
      g_autofree char *body = login_request (fn);
      g_autoptr(xmlDoc) doc = post (fx, body);

      g_test_message ("bill case %u", i);
      if (cases[i].message == NULL)
        assert_xp (doc, "success", "//result/status");
      else
        {
          assert_xp (doc, "failure", "//result/status");
          assert_xp_contains (doc, cases[i].message, "//result/errormessage/error[1]/description2");
        }
    }
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "APBILL", NULL, NULL), ==, 9);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "APBILL", "RECORDID", "B-1"), ==, 2);
}

static void
test_uniqueid (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *fn = g_strdup ("<function controlid=\"once-1\"><create><DEPARTMENT>"
                                  "<DEPARTMENTID>QA</DEPARTMENTID><TITLE>Quality</TITLE>"
                                  "</DEPARTMENT></create></function>");
  g_autofree char *body = request (SENDER, "true", "false", LOGIN, fn);
  g_autofree char *loose = request (SENDER, "false", "false", LOGIN,
                                    "<function controlid=\"once-1\"><readByQuery><object>"
                                    "DEPARTMENT</object><fields>*</fields><query/></readByQuery>"
                                    "</function>");
  g_autoptr(xmlDoc) doc = post (fx, body);

  assert_xp (doc, "success", "//result/status");
  g_clear_pointer (&doc, xmlFreeDoc);
  doc = post (fx, body);
  assert_xp (doc, "failure", "//result/status");
  assert_xp (doc, "DUPLICATE_CONTROLID", "//result/errormessage/error/errorno");
  assert_xp (doc, "Duplicate function control ID", "//result/errormessage/error/description");
  assert_xp_contains (doc, "The function with control ID 'once-1' has already been executed.",
                      "//result/errormessage/error/description2");
  assert_xp (doc, "Look the record up before sending it again.",
             "//result/errormessage/error/correction");
  g_clear_pointer (&doc, xmlFreeDoc);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "DEPARTMENT", NULL, NULL), ==, 6);

  /* uniqueid=false runs it regardless */
  doc = post (fx, loose);
  assert_xp (doc, "success", "//result/status");
  g_clear_pointer (&doc, xmlFreeDoc);

  /* a failed function is not remembered: fixing it and re-sending works */
  {
    g_autofree char *bad = request (SENDER, "true", "false", LOGIN,
                                    "<function controlid=\"once-2\"><create><DEPARTMENT>"
                                    "<DEPARTMENTID>QB</DEPARTMENTID></DEPARTMENT></create>"
                                    "</function>");
    g_autofree char *good = request (SENDER, "true", "false", LOGIN,
                                     "<function controlid=\"once-2\"><create><DEPARTMENT>"
                                     "<DEPARTMENTID>QB</DEPARTMENTID><TITLE>B</TITLE>"
                                     "</DEPARTMENT></create></function>");
    doc = post (fx, bad);
    assert_xp (doc, "failure", "//result/status");
    g_clear_pointer (&doc, xmlFreeDoc);
    doc = post (fx, good);
    assert_xp (doc, "success", "//result/status");
  }
}

static void
test_transaction_rollback (Fixture       *fx,
                           gconstpointer  data)
{
  const char *functions =
    "<function controlid=\"t1\"><create><PROJECT><PROJECTID>TX-1</PROJECTID>"
    "<NAME>Rolled back</NAME><PROJECTCATEGORY>Contract</PROJECTCATEGORY></PROJECT></create>"
    "</function>"
    "<function controlid=\"t2\"><update><VENDOR><VENDORID>V1001</VENDORID><NAME>Renamed</NAME>"
    "</VENDOR></update></function>"
    "<function controlid=\"t3\"><create><TASK><TASKID>T1</TASKID><NAME>x</NAME>"
    "<PROJECTID>NOPE</PROJECTID><TASKSTATUS>Planned</TASKSTATUS></TASK></create></function>"
    "<function controlid=\"t4\"><create><DEPARTMENT><DEPARTMENTID>NEVER</DEPARTMENTID>"
    "<TITLE>Never</TITLE></DEPARTMENT></create></function>";
  g_autofree char *tx = request (SENDER, "true", "true", LOGIN, functions);
  g_autofree char *no_tx = request (SENDER, "false", "false", LOGIN, functions);
  g_autoptr(xmlDoc) doc = post (fx, tx);

  assert_xp (doc, "aborted", "//result[1]/status");
  assert_xp (doc, "aborted", "//result[2]/status");
  assert_xp (doc, "failure", "//result[3]/status");
  assert_xp (doc, "aborted", "//result[4]/status");
  assert_xp (doc, "XL03000009", "//result[1]/errormessage/error/errorno");
  assert_xp (doc, "XL03000009", "//result[3]/errormessage/error[last()]/errorno");
  assert_xp (doc, "BL01001973", "//result[3]/errormessage/error[1]/errorno");
  assert_xp_contains (doc, "rolled back", "//result[4]/errormessage/error/description2");
  g_clear_pointer (&doc, xmlFreeDoc);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "PROJECT", "PROJECTID", "TX-1"), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", "NAME", "Renamed"), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "DEPARTMENT", "DEPARTMENTID",
                                              "NEVER"), ==, 0);
  g_assert_cmpuint (cb_sandbox_get_write_count (fx->sandbox), ==, 0);
  /* the rolled-back function's controlid was not remembered */
  doc = post (fx, no_tx);
  assert_xp (doc, "success", "//result[1]/status");
  assert_xp (doc, "success", "//result[2]/status");
  assert_xp (doc, "failure", "//result[3]/status");
  assert_xp (doc, "success", "//result[4]/status");
  g_assert_cmpuint (xp_count (doc, "//result[3]/errormessage/error[errorno='XL03000009']"), ==, 0);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "PROJECT", "PROJECTID", "TX-1"), ==, 1);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", "NAME", "Renamed"), ==, 1);
  g_assert_cmpuint (cb_sandbox_get_write_count (fx->sandbox), ==, 3);
}

static void
test_permissions_and_subscription (Fixture       *fx,
                                   gconstpointer  data)
{
  g_autofree char *body = login_request (
    "<function controlid=\"p1\"><create><VENDOR><VENDORID>V5001</VENDORID><NAME>x</NAME>"
    "<DISPLAYCONTACT><PRINTAS>x</PRINTAS></DISPLAYCONTACT></VENDOR></create></function>"
    RBQ ("VENDOR", "", "1")
    RBQ ("COSTTYPE", "", "1"));
  g_autoptr(xmlDoc) doc = NULL;

  cb_sandbox_deny_permission (fx->sandbox, "VENDOR", "create");
  cb_sandbox_set_construction_subscribed (fx->sandbox, FALSE);
  doc = post (fx, body);
  assert_xp (doc, "failure", "//result[1]/status");
  assert_xp (doc, "XL03000004", "//result[1]/errormessage/error/errorno");
  assert_xp_contains (doc, "You do not have permission for API operation create on objects of "
                      "type VENDOR", "//result[1]/errormessage/error/description2");
  assert_xp (doc, "success", "//result[2]/status");
  assert_xp (doc, "failure", "//result[3]/status");
  assert_xp_contains (doc, "Object definition COSTTYPE not found",
                      "//result[3]/errormessage/error/description2");
  assert_xp_contains (doc, "Construction subscription", "//result[3]/errormessage/error/description2");
  g_clear_pointer (&doc, xmlFreeDoc);

  cb_sandbox_set_construction_subscribed (fx->sandbox, TRUE);
  cb_sandbox_deny_permission (fx->sandbox, "VENDOR", "read");
  doc = post (fx, body);
  assert_xp (doc, "failure", "//result[2]/status");
  assert_xp (doc, "success", "//result[3]/status");
}

/* ---- faults, latency, counters -------------------------------------------------------------- */

static void
test_faults (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *dept = login_request ("<function controlid=\"f\"><create><DEPARTMENT>"
                                         "<DEPARTMENTID>F1</DEPARTMENTID><TITLE>F</TITLE>"
                                         "</DEPARTMENT></create></function>");
  g_autofree char *read = login_request (RBQ ("DEPARTMENT", "", "10"));
  static const guint plain[] = { 502, 503, 504 };
  static const CbSandboxFault plain_faults[] = {
    CB_SANDBOX_FAULT_HTTP_502, CB_SANDBOX_FAULT_HTTP_503, CB_SANDBOX_FAULT_HTTP_504,
  };
  g_autoptr(GError) error = NULL;
  guint status = 0;
  xmlDoc *doc;

  /* 429: control failure GW-0010, nothing runs */
  cb_sandbox_add_fault (fx->sandbox, CB_SANDBOX_FAULT_HTTP_429, 0, 1);
  doc = post_full (fx, dept, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 429);
  g_assert_nonnull (doc);
  assert_xp (doc, "failure", "/response/control/status");
  assert_xp (doc, "GW-0010", "/response/errormessage/error/errorno");
  xmlFreeDoc (doc);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "DEPARTMENT", NULL, NULL), ==, 5);

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      cb_sandbox_add_fault (fx->sandbox, plain_faults[i], 0, 1);
      doc = post_full (fx, dept, &status, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, plain[i]);
      g_assert_null (doc);
      g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "DEPARTMENT", NULL, NULL), ==, 5);
    }

  /* drop-before: the client sees a dropped connection, and nothing was done */
  cb_sandbox_add_fault (fx->sandbox, CB_SANDBOX_FAULT_DROP_BEFORE, 0, 1);
  doc = post_full (fx, dept, &status, &error);
  g_assert_null (doc);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "DEPARTMENT", NULL, NULL), ==, 5);

  /* 524: the work is done, the reply is a plain 524 */
  cb_sandbox_add_fault (fx->sandbox, CB_SANDBOX_FAULT_HTTP_524, 0, 1);
  doc = post_full (fx, dept, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 524);
  g_assert_null (doc);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "DEPARTMENT", NULL, NULL), ==, 6);

  /* drop-after: the work is done, then the connection closes */
  g_free (dept);
  dept = login_request ("<function controlid=\"f\"><create><DEPARTMENT>"
                        "<DEPARTMENTID>F2</DEPARTMENTID><TITLE>F</TITLE>"
                        "</DEPARTMENT></create></function>");
  cb_sandbox_add_fault (fx->sandbox, CB_SANDBOX_FAULT_DROP_AFTER, 0, 1);
  doc = post_full (fx, dept, &status, &error);
  g_assert_null (doc);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "DEPARTMENT", "DEPARTMENTID", "F2"),
                    ==, 1);

  /* malformed: the work is done, the body does not parse */
  g_free (dept);
  dept = login_request ("<function controlid=\"f\"><create><DEPARTMENT>"
                        "<DEPARTMENTID>F3</DEPARTMENTID><TITLE>F</TITLE>"
                        "</DEPARTMENT></create></function>");
  cb_sandbox_add_fault (fx->sandbox, CB_SANDBOX_FAULT_MALFORMED, 0, 1);
  doc = post_full (fx, dept, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_null (doc);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "DEPARTMENT", "DEPARTMENTID", "F3"),
                    ==, 1);

  /* skip and count: two clean requests, then two 503s, then clean again */
  cb_sandbox_add_fault (fx->sandbox, CB_SANDBOX_FAULT_HTTP_503, 2, 2);
  for (guint i = 0; i < 5; i++)
    {
      doc = post_full (fx, read, &status, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, (i == 2 || i == 3) ? 503 : 200);
      g_clear_pointer (&doc, xmlFreeDoc);
    }

  /* clear_faults drops what is queued */
  cb_sandbox_add_fault (fx->sandbox, CB_SANDBOX_FAULT_HTTP_502, 0, 3);
  cb_sandbox_clear_faults (fx->sandbox);
  doc = post_full (fx, read, &status, &error);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&doc, xmlFreeDoc);
}

static void
test_latency_and_counters (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *read = login_request (RBQ ("ITEM", "", "10"));
  g_autofree char *write = login_request ("<function controlid=\"w\"><create>"
                                          "<ITEM><ITEMID>X1</ITEMID><NAME>x</NAME>"
                                          "<ITEMTYPE>Non-Inventory</ITEMTYPE></ITEM>"
                                          "<ITEM><ITEMID>X2</ITEMID><NAME>y</NAME>"
                                          "<ITEMTYPE>Non-Inventory</ITEMTYPE></ITEM>"
                                          "</create></function>");
  g_autoptr(xmlDoc) doc = NULL;

  cb_sandbox_set_latency (fx->sandbox, 30);
  doc = post (fx, read);
  assert_xp (doc, "5", "//result/data/@count");
  g_clear_pointer (&doc, xmlFreeDoc);
  doc = post (fx, write);
  assert_xp (doc, "success", "//result/status");
  g_clear_pointer (&doc, xmlFreeDoc);
  cb_sandbox_set_latency (fx->sandbox, 0);

  g_assert_cmpuint (cb_sandbox_get_request_count (fx->sandbox), ==, 2);
  g_assert_cmpuint (cb_sandbox_get_login_count (fx->sandbox), ==, 2);
  g_assert_cmpuint (cb_sandbox_get_write_count (fx->sandbox), ==, 2);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "ITEM", NULL, NULL), ==, 7);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "ITEM", "ITEMTYPE", "Non-Inventory"),
                    ==, 5);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "NOSUCHOBJECT", NULL, NULL), ==, 0);

  cb_sandbox_reset_counters (fx->sandbox);
  g_assert_cmpuint (cb_sandbox_get_request_count (fx->sandbox), ==, 0);
  g_assert_cmpuint (cb_sandbox_get_write_count (fx->sandbox), ==, 0);
  g_assert_cmpuint (cb_sandbox_get_login_count (fx->sandbox), ==, 0);

  /* seed counts documented in cb-sandbox-data.c */
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "STANDARDTASK", NULL, NULL), ==, 40);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "STANDARDCOSTTYPE", NULL, NULL), ==, 5);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "PROJECT", NULL, NULL), ==, 12);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "TASK", NULL, NULL), ==, 48);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "COSTTYPE", NULL, NULL), ==, 144);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "APBILL", NULL, NULL), ==, 6);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "LOCATIONENTITY", NULL, NULL), ==, 2);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "GLACCOUNT", NULL, NULL), ==, 15);
}

static void
test_fault_spec (void)
{
  static const char *const bad[] = {
    "429", "bogus=1", "429=x", "429=1@y", "latency=abc", "502=-1",
  };
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_sandbox_configure_faults (sandbox, "latency=5,429=3,502=1,503=1,504=1,"
                                              "524=1@10,drop-after=2,drop-before=1,"
                                              "malformed=1,expire=1@5", &error));
  g_assert_no_error (error);
  g_assert_true (cb_sandbox_configure_faults (sandbox, "", &error));
  g_assert_true (cb_sandbox_configure_faults (sandbox, " 429 = 1 ", &error));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (cb_sandbox_configure_faults (sandbox, bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
}

static void
test_fault_spec_applies (Fixture       *fx,
                         gconstpointer  data)
{
  g_autofree char *read = login_request (RBQ ("ITEM", "", "10"));
  g_autoptr(GError) error = NULL;
  guint status = 0;

  /* a spec that fails applies nothing */
  g_assert_false (cb_sandbox_configure_faults (fx->sandbox, "502=1,nope=1", &error));
  g_clear_error (&error);
  g_assert_true (cb_sandbox_configure_faults (fx->sandbox, "503=1@1,504=1", &error));
  for (guint i = 0; i < 4; i++)
    {
      xmlDoc *doc = post_full (fx, read, &status, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (status, ==, i == 1 ? 503 : i == 2 ? 504 : 200);
      g_clear_pointer (&doc, xmlFreeDoc);
    }
}

static void
test_generated_vendors (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *body = login_request ("<function controlid=\"g\"><readByQuery><object>VENDOR"
                                         "</object><fields>VENDORID</fields><query>VENDORID "
                                         "LIKE 'GV%'</query><pagesize>1000</pagesize>"
                                         "</readByQuery></function>");
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *result_id = NULL;
  guint seen = 0;

  cb_sandbox_add_generated_vendors (fx->sandbox, 100000);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", NULL, NULL), ==, 100050);
  g_assert_cmpuint (cb_sandbox_count_records (fx->sandbox, "VENDOR", "VENDORID", "GV100000"),
                    ==, 1);

  doc = post (fx, body);
  assert_xp (doc, "100000", "//result/data/@totalcount");
  result_id = xp (doc, "//result/data/@resultId");
  for (;;)
    {
      g_autofree char *remaining = xp (doc, "//result/data/@numremaining");
      g_autofree char *more = NULL;

      seen += xp_count (doc, "//result/data/vendor");
      if (strcmp (remaining, "0") == 0)
        break;
      more = g_strdup_printf ("<function controlid=\"m\"><readMore><resultId>%s</resultId>"
                              "</readMore></function>", result_id);
      g_free (body);
      body = login_request (more);
      g_clear_pointer (&doc, xmlFreeDoc);
      doc = post (fx, body);
    }
  g_assert_cmpuint (seen, ==, 100000);

  /* query pages by offset too */
  g_free (body);
  body = login_request ("<function controlid=\"q\"><query><object>VENDOR</object><select>"
                        "<field>VENDORID</field></select><filter><and><greaterthanorequalto>"
                        "<field>VENDORID</field><value>GV099000</value></greaterthanorequalto>"
                        "<like><field>VENDORID</field><value>GV%</value></like></and></filter>"
                        "<orderby><order><field>RECORDNO</field><ascending/></order>"
                        "</orderby><pagesize>2000</pagesize><offset>500</offset></query>"
                        "</function>");
  g_clear_pointer (&doc, xmlFreeDoc);
  doc = post (fx, body);
  assert_xp (doc, "1001", "//result/data/@totalcount");
  assert_xp (doc, "501", "//result/data/@count");
  assert_xp (doc, "GV099500", "//result/data/VENDOR[1]/VENDORID");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

  ADD ("/sandbox/control-failures", test_control_failures);
  ADD ("/sandbox/login-failures", test_login_failures);
  ADD ("/sandbox/session-flow", test_session_flow);
  ADD ("/sandbox/session-expiry", test_session_expiry);
  ADD ("/sandbox/entity-scoping", test_entity_scoping);
  ADD ("/sandbox/read-by-query/paging", test_read_by_query_paging);
  ADD ("/sandbox/read-by-query/page-size", test_page_size_limits);
  ADD ("/sandbox/read-by-query/expressions", test_read_by_query_expressions);
  ADD ("/sandbox/query", test_query_function);
  ADD ("/sandbox/read", test_read_and_read_by_name);
  ADD ("/sandbox/write/create-update-delete", test_create_update_delete);
  ADD ("/sandbox/write/required-and-duplicates", test_required_and_duplicates);
  ADD ("/sandbox/write/apbill", test_apbill_checks);
  ADD ("/sandbox/write/uniqueid", test_uniqueid);
  ADD ("/sandbox/write/transaction", test_transaction_rollback);
  ADD ("/sandbox/permissions", test_permissions_and_subscription);
  ADD ("/sandbox/faults", test_faults);
  ADD ("/sandbox/faults/spec-applies", test_fault_spec_applies);
  ADD ("/sandbox/latency-and-counters", test_latency_and_counters);
  ADD ("/sandbox/generated-vendors", test_generated_vendors);
  g_test_add_func ("/sandbox/faults/spec", test_fault_spec);

  return g_test_run ();
}
