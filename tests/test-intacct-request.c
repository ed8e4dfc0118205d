/* test-intacct-request.c: the request writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents are compared with files under tests/data/requests/ after canonicalisation
 * (C14N, comments and indentation dropped), so the comparison is about elements,
 * attributes, order and text, not about how the writer lays out bytes.
 */

#define G_LOG_DOMAIN "test-intacct-request"

#include "config.h"

#include <string.h>

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cb-error.h"
#include "cb-intacct-request.h"

#define SENDER_PASSWORD "s3nder-pa55"
#define USER_PASSWORD "us3r-pa55"
#define SESSION_ID "Zm9vYmFyc2Vzc2lvbg.."

/* Canonical XML helpers */

static void
strip_blank_text (xmlNodePtr parent)
{
  gboolean has_elements = FALSE;
  xmlNodePtr n, next;

  for (n = parent->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE)
      has_elements = TRUE;

  for (n = parent->children; n != NULL; n = next)
    {
      next = n->next;
      if (n->type == XML_ELEMENT_NODE)
        {
          strip_blank_text (n);
        }
      else if (has_elements && n->type == XML_TEXT_NODE && xmlIsBlankNode (n))
        {
          xmlUnlinkNode (n);
          xmlFreeNode (n);
        }
    }
}

static char *
canonicalize (const char *data,
              gsize       length)
{
  xmlDocPtr doc = xmlReadMemory (data, (int) length, NULL, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR);
  xmlChar *out = NULL;
  char *result;
  int n;

  g_assert_nonnull (doc);
  strip_blank_text ((xmlNodePtr) doc);
  n = xmlC14NDocDumpMemory (doc, NULL, XML_C14N_1_0, NULL, 0, &out);
  g_assert_cmpint (n, >=, 0);
  result = g_strdup ((const char *) out);
  xmlFree (out);
  xmlFreeDoc (doc);
  return result;
}

static void
assert_same_xml (GBytes     *ours,
                 const char *expected_file)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "requests", expected_file, NULL);
  g_autofree char *expected = NULL;
  g_autofree char *expected_c14n = NULL;
  g_autofree char *ours_c14n = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_assert_nonnull (ours);
  g_file_get_contents (path, &expected, &length, &error);
  g_assert_no_error (error);
  expected_c14n = canonicalize (expected, length);
  ours_c14n = canonicalize (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours));
  g_assert_cmpstr (ours_c14n, ==, expected_c14n);
}

static char *
bytes_to_string (GBytes *bytes)
{
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Requests used by several tests */

static CbIntacctRequest *
new_login_request (const char *control_id)
{
  CbIntacctRequest *request = cb_intacct_request_new ();

  request->sender_id = g_strdup ("costbridge-sender");
  request->sender_password = g_strdup (SENDER_PASSWORD);
  request->control_id = g_strdup (control_id);
  request->auth_kind = CB_INTACCT_AUTH_LOGIN;
  request->user_id = g_strdup ("jsmith");
  request->company_id = g_strdup ("HARBOUR-BUILD");
  request->user_password = g_strdup (USER_PASSWORD);
  return request;
}

static CbIntacctRequest *
new_session_request (const char *control_id)
{
  CbIntacctRequest *request = cb_intacct_request_new ();

  request->sender_id = g_strdup ("costbridge-sender");
  request->sender_password = g_strdup (SENDER_PASSWORD);
  request->control_id = g_strdup (control_id);
  request->auth_kind = CB_INTACCT_AUTH_SESSION;
  request->session_id = g_strdup (SESSION_ID);
  return request;
}

static GBytes *
serialize_ok (CbIntacctRequest *request)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = cb_intacct_request_serialize (request, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

static GBytes *
serialize_function_ok (CbIntacctFunction *function)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = cb_intacct_function_serialize (function, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

/* Whole requests */

static void
test_login_get_api_session (void)
{
  g_autoptr(CbIntacctRequest) request = new_login_request ("req-0001");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  cb_intacct_request_add_function (request, cb_intacct_function_get_api_session ("fn-session", NULL));
  bytes = serialize_ok (request);
  assert_same_xml (bytes, "login-getapisession.xml");

  /* UTF-8 with an XML declaration. */
  text = bytes_to_string (bytes);
  g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
}

static void
test_session_read_by_query (void)
{
  g_autoptr(CbIntacctRequest) request = new_session_request ("req-0002");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *status = cb_intacct_query_condition ("STATUS", "=", "T");
  g_autofree char *name = cb_intacct_query_condition ("NAME", "=", "Erik's Deli & Co");
  g_autofree char *query = g_strdup_printf ("%s AND TOTALDUE > 100 AND %s AND X < 2", status, name);
  g_autofree char *text = NULL;

  cb_intacct_request_add_function (request,
                                   cb_intacct_function_read_by_query ("fn-vendors", "VENDOR",
                                                                      "RECORDNO,VENDORID,NAME",
                                                                      query, 500));
  bytes = serialize_ok (request);
  assert_same_xml (bytes, "session-readbyquery.xml");

  /* The writer escapes, and writes > as &gt; as Sage recommends. */
  text = bytes_to_string (bytes);
  g_assert_nonnull (strstr (text, "TOTALDUE &gt; 100"));
  g_assert_nonnull (strstr (text, "'Erik\\'s Deli &amp; Co'"));
  g_assert_nonnull (strstr (text, "X &lt; 2"));
  g_assert_null (strstr (text, "X < 2"));
}

static void
test_login_entity_client (void)
{
  g_autoptr(CbIntacctRequest) request = new_login_request ("req-0003");
  g_autoptr(GBytes) bytes = NULL;

  request->client_id = g_strdup ("CLIENT-7");
  request->location_id = g_strdup ("EAST");
  request->policy_id = g_strdup ("async-policy");
  request->include_whitespace = TRUE;
  cb_intacct_request_add_function (request, cb_intacct_function_read_entity_details ("fn-entities"));
  bytes = serialize_ok (request);
  assert_same_xml (bytes, "login-entity-client.xml");
}

static CbIntacctRecord *
new_task (void)
{
  CbIntacctRecord *task = cb_intacct_record_new ("TASK");

  cb_intacct_record_add_field (task, "NAME", "Concrete forming");
  cb_intacct_record_add_field (task, "PROJECTID", "20-001");
  cb_intacct_record_add_field (task, "TASKSTATUS", "In Progress");
  return task;
}

static void
test_transaction_unique_id (void)
{
  g_autoptr(CbIntacctRequest) request = new_session_request ("req-0004");
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_autoptr(GPtrArray) cost_types = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_autoptr(GBytes) bytes = NULL;
  CbIntacctRecord *cost_type;

  g_ptr_array_add (tasks, new_task ());
  cost_type = cb_intacct_record_new ("COSTTYPE");
  cb_intacct_record_add_field (cost_type, "PROJECTID", "20-001");
  cb_intacct_record_add_field (cost_type, "TASKID", "03-100");
  cb_intacct_record_add_field (cost_type, "STANDARDCOSTTYPEID", "LAB");
  g_ptr_array_add (cost_types, cost_type);

  request->unique_id = TRUE;
  request->transaction = TRUE;
  cb_intacct_request_add_function (request, cb_intacct_function_create ("0b7f1f3e-task", tasks));
  cb_intacct_request_add_function (request, cb_intacct_function_create ("0b7f1f3e-costtype", cost_types));
  bytes = serialize_ok (request);
  assert_same_xml (bytes, "transaction-uniqueid.xml");

  /* The builder copied the records: changing ours later does not change the request. */
  cb_intacct_record_set_field (g_ptr_array_index (tasks, 0), "NAME", "Changed");
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = serialize_ok (request);
  assert_same_xml (bytes, "transaction-uniqueid.xml");
}

static void
test_empty_content (void)
{
  g_autoptr(CbIntacctRequest) request = new_session_request ("req-empty");
  g_autoptr(GBytes) bytes = serialize_ok (request);
  g_autofree char *c14n = canonicalize (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_nonnull (strstr (c14n, "<content></content></operation></request>"));
}

static void
test_default_control_id (void)
{
  g_autoptr(CbIntacctRequest) request = new_session_request (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  const char *start, *end;
  g_autofree char *value = NULL;
  guint64 stamp = 0;

  cb_intacct_request_add_function (request, cb_intacct_function_read_more ("f", "r"));
  bytes = serialize_ok (request);
  text = bytes_to_string (bytes);
  start = strstr (text, "<controlid>");
  g_assert_nonnull (start);
  start += strlen ("<controlid>");
  end = strstr (start, "</controlid>");
  g_assert_nonnull (end);
  value = g_strndup (start, end - start);

  /* A Unix timestamp, as the SDKs send: within a day of now. */
  g_assert_true (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &stamp, NULL));
  g_assert_cmpuint (stamp, >, (guint64) (g_get_real_time () / G_USEC_PER_SEC) - 86400);
  g_assert_cmpuint (stamp, <, (guint64) (g_get_real_time () / G_USEC_PER_SEC) + 86400);
}

static void
test_element_order (void)
{
  g_autoptr(CbIntacctRequest) request = new_login_request ("req-order");
  g_autoptr(GBytes) bytes = NULL;
  const char *control_order[] = { "senderid", "password", "controlid", "uniqueid", "dtdversion",
                                  "policyid", "includewhitespace", NULL };
  const char *login_order[] = { "userid", "companyid", "password", "clientid", "locationid", NULL };
  xmlDocPtr doc;
  xmlNodePtr root, node;
  guint i;

  /* Set in an order different from the schema's. */
  request->location_id = g_strdup ("");
  request->client_id = g_strdup ("C");
  request->policy_id = g_strdup ("P");
  cb_intacct_request_add_function (request, cb_intacct_function_lookup ("f1", "APBILL"));
  bytes = serialize_ok (request);

  doc = xmlReadMemory (g_bytes_get_data (bytes, NULL), (int) g_bytes_get_size (bytes),
                       NULL, NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  root = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *) root->name, ==, "request");

  node = xmlFirstElementChild (root);
  g_assert_cmpstr ((const char *) node->name, ==, "control");
  for (i = 0, node = xmlFirstElementChild (node); node != NULL; node = xmlNextElementSibling (node), i++)
    g_assert_cmpstr ((const char *) node->name, ==, control_order[i]);
  g_assert_null (control_order[i]);

  node = xmlNextElementSibling (xmlFirstElementChild (root));
  g_assert_cmpstr ((const char *) node->name, ==, "operation");
  g_assert_null (xmlNextElementSibling (node));
  {
    xmlChar *transaction = xmlGetProp (node, (const xmlChar *) "transaction");
    g_assert_cmpstr ((const char *) transaction, ==, "false");
    xmlFree (transaction);
  }
  node = xmlFirstElementChild (node);
  g_assert_cmpstr ((const char *) node->name, ==, "authentication");
  g_assert_cmpstr ((const char *) xmlNextElementSibling (node)->name, ==, "content");
  node = xmlFirstElementChild (node);
  g_assert_cmpstr ((const char *) node->name, ==, "login");
  for (i = 0, node = xmlFirstElementChild (node); node != NULL; node = xmlNextElementSibling (node), i++)
    g_assert_cmpstr ((const char *) node->name, ==, login_order[i]);
  g_assert_null (login_order[i]);

  xmlFreeDoc (doc);
}

/* Functions on their own */

static void
test_functions (void)
{
  const char *select[] = { "RECORDNO", "COSTTYPEID", "TASKID", NULL };
  const char *statuses[] = { "active", "inactive", NULL };
  const char *excluded[] = { "99-999", NULL };
  const char *keys[] = { "101", "102", "103", NULL };
  const char *read_keys[] = { "7", "8", NULL };
  g_autoptr(GPtrArray) vendors = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_autoptr(GPtrArray) updates = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  CbIntacctRecord *vendor, *contact, *project;
  CbIntacctRecord *filter;
  struct {
    CbIntacctFunction *function;
    const char *file;
  } cases[9];
  guint n = 0;

  cases[n].function = cb_intacct_function_read_more ("fn-more", "1234abcdRESULT@x");
  cases[n++].file = "function-readmore.xml";

  filter = cb_intacct_filter_and (cb_intacct_filter_compare ("equalto", "PROJECTID", "20-001"),
                                  cb_intacct_filter_or (cb_intacct_filter_in ("STATUS", statuses, FALSE),
                                                        cb_intacct_filter_is_null ("STATUS", TRUE),
                                                        NULL),
                                  cb_intacct_filter_between ("RECORDNO", "10", "20"),
                                  cb_intacct_filter_in ("TASKID", excluded, TRUE),
                                  cb_intacct_filter_compare ("like", "NAME", "A&B <%>"),
                                  NULL);
  cases[n].function = cb_intacct_function_query ("fn-costtypes", "COSTTYPE", select, filter,
                                                 "RECORDNO", TRUE, 2000, 4000, TRUE, TRUE);
  cases[n++].file = "function-query.xml";

  vendor = cb_intacct_record_new ("VENDOR");
  cb_intacct_record_add_field (vendor, "VENDORID", "V-0042");
  cb_intacct_record_add_field (vendor, "NAME", "Bayside Concrete & Supply");
  contact = cb_intacct_record_add_child (vendor, "DISPLAYCONTACT");
  cb_intacct_record_add_field (contact, "PRINTAS", "Bayside Concrete & Supply LLC");
  cb_intacct_record_add_field (contact, "EMAIL1", "ap@bayside.example");
  cb_intacct_record_add_field (vendor, "TAXID", "98-7654321");
  cb_intacct_record_add_field (vendor, "RETAINAGEPERCENTAGE", "10");
  g_ptr_array_add (vendors, vendor);
  cases[n].function = cb_intacct_function_create ("fn-vendor", vendors);
  cases[n++].file = "function-create-vendor.xml";

  project = cb_intacct_record_new ("PROJECT");
  cb_intacct_record_add_field (project, "PROJECTID", "20-001");
  cb_intacct_record_add_field (project, "PROJECTSTATUS", "In Progress");
  g_ptr_array_add (updates, project);
  vendor = cb_intacct_record_new ("VENDOR");
  cb_intacct_record_add_field (vendor, "VENDORID", "V-0042");
  cb_intacct_record_add_field (vendor, "STATUS", "inactive");
  cb_intacct_record_add_field (vendor, "COMMENTS", NULL);
  g_ptr_array_add (updates, vendor);
  cases[n].function = cb_intacct_function_update ("fn-update", updates);
  cases[n++].file = "function-update.xml";

  cases[n].function = cb_intacct_function_delete ("fn-delete", "APBILL", keys);
  cases[n++].file = "function-delete.xml";
  cases[n].function = cb_intacct_function_get_api_session ("fn-top", "");
  cases[n++].file = "function-getapisession-top.xml";
  cases[n].function = cb_intacct_function_get_api_session ("fn-east", "EAST");
  cases[n++].file = "function-getapisession-entity.xml";
  cases[n].function = cb_intacct_function_read ("fn-read", "APBILL", read_keys, NULL);
  cases[n++].file = "function-read.xml";
  cases[n].function = cb_intacct_function_inspect ("fn-inspect", "TASK", TRUE);
  cases[n++].file = "function-inspect.xml";
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (cases));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) bytes = serialize_function_ok (cases[i].function);

      g_test_message ("comparing %s", cases[i].file);
      assert_same_xml (bytes, cases[i].file);
      cb_intacct_function_unref (cases[i].function);
    }
}

static void
test_function_properties (void)
{
  g_autoptr(CbIntacctFunction) create = cb_intacct_function_create ("a", NULL);
  g_autoptr(CbIntacctFunction) legacy = cb_intacct_function_new ("b", cb_intacct_record_new ("create_bill"));
  g_autoptr(CbIntacctFunction) update = cb_intacct_function_new ("c", cb_intacct_record_new ("update_potransaction"));
  g_autoptr(CbIntacctFunction) query = cb_intacct_function_read_by_query (NULL, "VENDOR", NULL, NULL, 0);
  g_autoptr(CbIntacctFunction) lookup = cb_intacct_function_lookup (NULL, "APBILL");
  g_autofree char *id1 = cb_intacct_new_control_id ();
  g_autofree char *id2 = cb_intacct_new_control_id ();
  CbIntacctRecord *op;

  g_assert_true (cb_intacct_function_is_write (create));
  g_assert_true (cb_intacct_function_is_write (legacy));
  g_assert_true (cb_intacct_function_is_write (update));
  g_assert_false (cb_intacct_function_is_write (query));
  g_assert_false (cb_intacct_function_is_write (lookup));
  g_assert_cmpstr (cb_intacct_function_get_name (legacy), ==, "create_bill");
  g_assert_cmpstr (cb_intacct_function_get_name (query), ==, "readByQuery");
  g_assert_cmpstr (cb_intacct_function_get_control_id (create), ==, "a");

  /* Default controlids are UUIDs, different every time. */
  g_assert_true (g_uuid_string_is_valid (id1));
  g_assert_cmpstr (id1, !=, id2);
  g_assert_true (g_uuid_string_is_valid (cb_intacct_function_get_control_id (query)));
  g_assert_cmpstr (cb_intacct_function_get_control_id (query), !=,
                   cb_intacct_function_get_control_id (lookup));

  /* readByQuery defaults: fields "*", an empty query, no page size, XML. */
  op = cb_intacct_function_get_operation (query);
  g_assert_cmpstr (cb_intacct_record_get_field (op, "fields"), ==, "*");
  g_assert_cmpstr (cb_intacct_record_get_field (op, "query"), ==, "");
  g_assert_false (cb_intacct_record_has_field (op, "pagesize"));
  g_assert_cmpstr (cb_intacct_record_get_field (op, "returnFormat"), ==, "xml");
}

static void
test_query_quote (void)
{
  struct {
    const char *in;
    const char *out;
  } quotes[] = {
    { "Erik's Deli", "'Erik\\'s Deli'" },
    { "C:\\temp", "'C:\\\\temp'" },
    { "\\'", "'\\\\\\''" },
    { "", "''" },
    { "A&B <x>", "'A&B <x>'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (quotes); i++)
    {
      g_autofree char *quoted = cb_intacct_query_quote (quotes[i].in);
      g_assert_cmpstr (quoted, ==, quotes[i].out);
    }

  {
    g_autofree char *condition = cb_intacct_query_condition ("NAME", "like", "O'Brien%");
    g_assert_cmpstr (condition, ==, "NAME like 'O\\'Brien%'");
  }
  {
    g_autofree char *condition = cb_intacct_query_condition ("VENDORID", "not like", "V1");
    g_assert_cmpstr (condition, ==, "VENDORID not like 'V1'");
  }
}

/* Validation */

typedef void (*Mutate) (CbIntacctRequest *request);

static void
no_sender (CbIntacctRequest *r)
{
  g_clear_pointer (&r->sender_id, g_free);
}

static void
empty_sender_password (CbIntacctRequest *r)
{
  g_free (r->sender_password);
  r->sender_password = g_strdup ("");
}

static void
no_user (CbIntacctRequest *r)
{
  g_clear_pointer (&r->user_id, g_free);
}

static void
no_company (CbIntacctRequest *r)
{
  g_clear_pointer (&r->company_id, g_free);
}

static void
no_user_password (CbIntacctRequest *r)
{
  g_clear_pointer (&r->user_password, g_free);
}

static void
session_without_id (CbIntacctRequest *r)
{
  r->auth_kind = CB_INTACCT_AUTH_SESSION;
}

static void
empty_control_id (CbIntacctRequest *r)
{
  g_free (r->control_id);
  r->control_id = g_strdup ("");
}

static void
long_control_id (CbIntacctRequest *r)
{
  g_free (r->control_id);
  r->control_id = g_strnfill (257, 'c');
}

static void
empty_function_control_id (CbIntacctRequest *r)
{
  cb_intacct_request_add_function (r, cb_intacct_function_read_more ("", "x"));
}

static void
long_function_control_id (CbIntacctRequest *r)
{
  g_autofree char *id = g_strnfill (257, 'f');
  cb_intacct_request_add_function (r, cb_intacct_function_read_more (id, "x"));
}

static void
duplicate_function_control_ids (CbIntacctRequest *r)
{
  cb_intacct_request_add_function (r, cb_intacct_function_read_more ("same", "x"));
  cb_intacct_request_add_function (r, cb_intacct_function_lookup ("other", "VENDOR"));
  cb_intacct_request_add_function (r, cb_intacct_function_lookup ("same", "VENDOR"));
}

static void
read_by_query_page_too_big (CbIntacctRequest *r)
{
  cb_intacct_request_add_function (r, cb_intacct_function_read_by_query ("q", "VENDOR", NULL, NULL, 1001));
}

static void
query_page_too_big (CbIntacctRequest *r)
{
  const char *select[] = { "RECORDNO", NULL };
  cb_intacct_request_add_function (r, cb_intacct_function_query ("q", "VENDOR", select, NULL, NULL,
                                                                 FALSE, 2001, 0, FALSE, FALSE));
}

static void
query_select_star (CbIntacctRequest *r)
{
  const char *select[] = { "RECORDNO", "*", NULL };
  cb_intacct_request_add_function (r, cb_intacct_function_query ("q", "VENDOR", select, NULL, NULL,
                                                                 FALSE, 0, 0, FALSE, FALSE));
}

static void
query_select_empty (CbIntacctRequest *r)
{
  cb_intacct_request_add_function (r, cb_intacct_function_query ("q", "VENDOR", NULL, NULL, NULL,
                                                                 FALSE, 0, 0, FALSE, FALSE));
}

static void
control_character (CbIntacctRequest *r)
{
  cb_intacct_request_add_function (r, cb_intacct_function_read_by_query ("q", "VENDOR", NULL,
                                                                         "NAME = 'a\001b'", 0));
}

static void
test_validation (void)
{
  struct {
    const char *name;
    Mutate mutate;
  } cases[] = {
    { "no sender", no_sender },
    { "empty sender password", empty_sender_password },
    { "no user", no_user },
    { "no company", no_company },
    { "no user password", no_user_password },
    { "session without id", session_without_id },
    { "empty control id", empty_control_id },
    { "long control id", long_control_id },
    { "empty function control id", empty_function_control_id },
    { "long function control id", long_function_control_id },
    { "duplicate function control ids", duplicate_function_control_ids },
    { "readByQuery page size 1001", read_by_query_page_too_big },
    { "query page size 2001", query_page_too_big },
    { "query select *", query_select_star },
    { "query select nothing", query_select_empty },
    { "control character", control_character },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbIntacctRequest) request = new_login_request ("req");
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      g_test_message ("case: %s", cases[i].name);
      cases[i].mutate (request);
      bytes = cb_intacct_request_serialize (request, &error);
      g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_INVALID_REQUEST);
      g_assert_null (bytes);
    }
}

static void
test_validation_limits (void)
{
  g_autoptr(CbIntacctRequest) request = new_login_request (NULL);
  g_autofree char *long_id = g_strnfill (256, 'x');
  g_autofree char *long_utf8 = NULL;
  const char *select[] = { "RECORDNO", NULL };
  g_autoptr(GBytes) bytes = NULL;
  GString *s = g_string_new (NULL);

  /* 256 characters is the limit, counted in characters, not bytes. */
  for (guint i = 0; i < 256; i++)
    g_string_append (s, "é");
  long_utf8 = g_string_free (s, FALSE);
  request->control_id = g_strdup (long_utf8);
  cb_intacct_request_add_function (request, cb_intacct_function_read_more (long_id, "x"));
  cb_intacct_request_add_function (request, cb_intacct_function_read_by_query ("a", "V", NULL, NULL, 1000));
  cb_intacct_request_add_function (request, cb_intacct_function_read_by_query ("b", "V", NULL, NULL, 1));
  cb_intacct_request_add_function (request, cb_intacct_function_query ("c", "V", select, NULL, NULL,
                                                                       FALSE, 2000, 0, FALSE, FALSE));
  bytes = serialize_ok (request);
  g_assert_nonnull (bytes);
}

static void
test_function_validation (void)
{
  g_autoptr(CbIntacctFunction) function = cb_intacct_function_read_by_query ("q", "VENDOR", NULL, NULL, 5000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cb_intacct_function_serialize (function, &error);

  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_INVALID_REQUEST);
  g_assert_null (bytes);
}

/* Logs */

static void
assert_no_secret (const char *log,
                  const char *secret)
{
  if (strstr (log, secret) != NULL)
    g_error ("secret “%s” survived in the log:\n%s", secret, log);
}

static void
test_log_redaction (void)
{
  g_autoptr(CbIntacctRequest) login = new_login_request ("req-log");
  g_autoptr(CbIntacctRequest) session = new_session_request ("req-log2");
  g_autoptr(GPtrArray) vendors = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  g_autofree char *login_log = NULL;
  g_autofree char *session_log = NULL;
  CbIntacctRecord *vendor, *legacy, *bank;

  vendor = cb_intacct_record_new ("VENDOR");
  cb_intacct_record_add_field (vendor, "VENDORID", "V-SAFE");
  cb_intacct_record_add_field (vendor, "TAXID", "98-7654321");
  cb_intacct_record_add_field (vendor, "ACHACCOUNTNUMBER", "1111222233334444");
  cb_intacct_record_add_field (vendor, "WireAccountNumber", "5555666677778888");
  g_ptr_array_add (vendors, vendor);
  cb_intacct_request_add_function (login, cb_intacct_function_create ("f1", vendors));

  legacy = cb_intacct_record_new ("create_employee");
  cb_intacct_record_add_field (legacy, "ssn", "078-05-1120");
  bank = cb_intacct_record_add_child (legacy, "bank");
  cb_intacct_record_add_field (bank, "accountnumber", "000123456789");
  cb_intacct_record_add_field (bank, "CARDNUM", "4111111111111111");
  cb_intacct_record_add_field (bank, "Password", "nested-secret");
  cb_intacct_request_add_function (login, cb_intacct_function_new ("f2", legacy));
  cb_intacct_request_add_function (session, cb_intacct_function_read_more ("f3", "RESULT"));

  login_log = cb_intacct_request_to_log_string (login);
  session_log = cb_intacct_request_to_log_string (session);

  for (guint i = 0; i < 2; i++)
    {
      const char *log = i == 0 ? login_log : session_log;

      g_assert_nonnull (log);
      assert_no_secret (log, SENDER_PASSWORD);
      assert_no_secret (log, USER_PASSWORD);
      assert_no_secret (log, SESSION_ID);
      g_assert_nonnull (strstr (log, "REDACTED"));
      g_assert_nonnull (strstr (log, "costbridge-sender"));
    }
  assert_no_secret (login_log, "98-7654321");
  assert_no_secret (login_log, "1111222233334444");
  assert_no_secret (login_log, "5555666677778888");
  assert_no_secret (login_log, "078-05-1120");
  assert_no_secret (login_log, "000123456789");
  assert_no_secret (login_log, "4111111111111111");
  assert_no_secret (login_log, "nested-secret");

  /* The rest of the document is intact. */
  g_assert_nonnull (strstr (login_log, "<userid>jsmith</userid>"));
  g_assert_nonnull (strstr (login_log, "<VENDORID>V-SAFE</VENDORID>"));
  g_assert_nonnull (strstr (session_log, "<resultId>RESULT</resultId>"));

  /* Redaction never changes the real document. */
  {
    g_autoptr(GBytes) bytes = serialize_ok (login);
    g_autofree char *text = bytes_to_string (bytes);
    g_assert_nonnull (strstr (text, SENDER_PASSWORD));
    g_assert_nonnull (strstr (text, "98-7654321"));
  }
}

static void
test_log_incomplete_request (void)
{
  g_autoptr(CbIntacctRequest) request = cb_intacct_request_new ();
  g_autofree char *log = cb_intacct_request_to_log_string (request);

  /* Even a request that cannot be sent can be logged. */
  g_assert_nonnull (log);
  g_assert_nonnull (strstr (log, "<request>"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/intacct/request/login-getapisession", test_login_get_api_session);
  g_test_add_func ("/intacct/request/session-readbyquery", test_session_read_by_query);
  g_test_add_func ("/intacct/request/login-entity-client", test_login_entity_client);
  g_test_add_func ("/intacct/request/transaction-uniqueid", test_transaction_unique_id);
  g_test_add_func ("/intacct/request/empty-content", test_empty_content);
  g_test_add_func ("/intacct/request/default-control-id", test_default_control_id);
  g_test_add_func ("/intacct/request/element-order", test_element_order);
  g_test_add_func ("/intacct/request/functions", test_functions);
  g_test_add_func ("/intacct/request/function-properties", test_function_properties);
  g_test_add_func ("/intacct/request/query-quote", test_query_quote);
  g_test_add_func ("/intacct/request/validation", test_validation);
  g_test_add_func ("/intacct/request/validation-limits", test_validation_limits);
  g_test_add_func ("/intacct/request/function-validation", test_function_validation);
  g_test_add_func ("/intacct/request/log-redaction", test_log_redaction);
  g_test_add_func ("/intacct/request/log-incomplete", test_log_incomplete_request);

  return g_test_run ();
}
