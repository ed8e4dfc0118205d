/* test-intacct-samples.c: every SDK sample in $COSTBRIDGE_SHARED_DIR/intacct/samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each sample file has an entry in a table saying what to expect: for replies, what the
 * parser and the checks must find; for request fragments, the request our writer must
 * produce (compared after canonicalisation). A sample that is not in the table fails
 * the test, so a new sample is never silently ignored. Without the samples folder every
 * case is skipped.
 */

#define G_LOG_DOMAIN "test-intacct-samples"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cb-error.h"
#include "cb-intacct-request.h"
#include "cb-intacct-response.h"

#define NO_ERROR (-1)

static char *samples_dir;

/* Reply expectations */

typedef struct
{
  const char *status;
  const char *function;
  const char *control_id;
  const char *list_type;
  gint64      count;          /* -1 when the attribute is absent */
  gint64      total_count;
  gint64      num_remaining;
  const char *result_id;      /* "-" for absent */
  int         n_records;      /* -1: no data element */
  const char *first_record;   /* element name of the first record, or NULL */
  const char *first_field;    /* a field of the first record… */
  const char *first_value;    /* …and its value */
  int         code;           /* NO_ERROR when cb_intacct_result_check() passes */
  const char *errornos;       /* comma-joined errorno list, or NULL for none */
} ResultExpect;

typedef struct
{
  gboolean      parses;
  const char   *control_status;
  int           check_code;       /* response_check() with login auth: NO_ERROR or a code */
  int           session_code;     /* the same with session auth */
  const char   *auth_status;      /* NULL: no authentication block */
  const char   *level_errornos;   /* control or authentication errornos, or NULL */
  guint         n_results;
  ResultExpect  results[3];
  void        (*extra) (CbIntacctResponse *response);
} ReplyExpect;

/* Request expectations: a builder that returns the document our writer makes, and
 * the element of it to compare with the sample. */
typedef GBytes *(*BuildRequest) (void);

typedef struct
{
  const char   *file;
  gboolean      is_request;
  BuildRequest  build;
  const char   *compare_element;   /* "function", "control" or "request" */
  ReplyExpect   reply;
} Sample;

/* Canonical XML */

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
        strip_blank_text (n);
      else if (has_elements && n->type == XML_TEXT_NODE && xmlIsBlankNode (n))
        {
          xmlUnlinkNode (n);
          xmlFreeNode (n);
        }
    }
}

static xmlNodePtr
find_element (xmlNodePtr  node,
              const char *name)
{
  for (; node != NULL; node = node->next)
    {
      xmlNodePtr found;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      if (strcmp ((const char *) node->name, name) == 0)
        return node;
      found = find_element (node->children, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The canonical form of the first @element of a document. The sample's <operation>
 * may lack transaction="…", whose documented default is false: we always write it. */
static char *
canonical_element (const char *data,
                   gsize       length,
                   const char *element)
{
  xmlDocPtr doc = xmlReadMemory (data, (int) length, NULL, NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR);
  xmlDocPtr out_doc;
  xmlNodePtr node, operation;
  xmlChar *out = NULL;
  char *result;

  g_assert_nonnull (doc);
  strip_blank_text ((xmlNodePtr) doc);
  operation = find_element (xmlDocGetRootElement (doc), "operation");
  if (operation != NULL && !xmlHasProp (operation, (const xmlChar *) "transaction"))
    xmlSetProp (operation, (const xmlChar *) "transaction", (const xmlChar *) "false");

  node = find_element (xmlDocGetRootElement (doc), element);
  g_assert_nonnull (node);
  out_doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlDocSetRootElement (out_doc, xmlDocCopyNode (node, out_doc, 1));
  g_assert_cmpint (xmlC14NDocDumpMemory (out_doc, NULL, XML_C14N_1_0, NULL, 0, &out), >=, 0);
  result = g_strdup ((const char *) out);
  xmlFree (out);
  xmlFreeDoc (out_doc);
  xmlFreeDoc (doc);
  return result;
}

/* Request builders, one per request sample */

static GBytes *
serialize_function (CbIntacctFunction *function)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = cb_intacct_function_serialize (function, &error);

  g_assert_no_error (error);
  cb_intacct_function_unref (function);
  return bytes;
}

static GBytes *
serialize_request (CbIntacctRequest *request)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = cb_intacct_request_serialize (request, &error);

  g_assert_no_error (error);
  cb_intacct_request_free (request);
  return bytes;
}

/* Adds leaves from NULL-terminated name, value pairs. */
static void
add_fields (CbIntacctRecord *record,
            ...) G_GNUC_NULL_TERMINATED;

static void
add_fields (CbIntacctRecord *record,
            ...)
{
  va_list args;
  const char *name;

  va_start (args, record);
  while ((name = va_arg (args, const char *)) != NULL)
    cb_intacct_record_add_field (record, name, va_arg (args, const char *));
  va_end (args);
}

static void
add_date (CbIntacctRecord *record,
          const char      *name,
          const char      *year,
          const char      *month,
          const char      *day)
{
  add_fields (cb_intacct_record_add_child (record, name),
              "year", year, "month", month, "day", day, NULL);
}

static GBytes *
create_one (CbIntacctRecord *object)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);

  g_ptr_array_add (objects, object);
  return serialize_function (cb_intacct_function_create ("unittest", objects));
}

static GBytes *
build_control_uniqueid_policyid (void)
{
  CbIntacctRequest *request = cb_intacct_request_new ();

  request->sender_id = g_strdup ("testsenderid");
  request->sender_password = g_strdup ("pass123!");
  request->control_id = g_strdup ("testcontrol");
  request->unique_id = TRUE;
  request->policy_id = g_strdup ("testpolicy");
  request->auth_kind = CB_INTACCT_AUTH_SESSION;
  request->session_id = g_strdup ("unused");
  return serialize_request (request);
}

static GBytes *
build_create_bill_legacy (void)
{
  CbIntacctRecord *bill = cb_intacct_record_new ("create_bill");
  CbIntacctRecord *custom, *items, *line;

  add_fields (bill, "vendorid", "VENDOR1", NULL);
  add_date (bill, "datecreated", "2015", "06", "30");
  add_date (bill, "dateposted", "2015", "06", "30");
  add_date (bill, "datedue", "2020", "09", "24");
  add_fields (bill,
              "termname", "N30", "action", "Submit", "batchkey", "20323", "billno", "234",
              "ponumber", "234235", "onhold", "true", "description", "Some description",
              "externalid", "20394", NULL);
  add_fields (cb_intacct_record_add_child (bill, "payto"), "contactname", "28952", NULL);
  add_fields (cb_intacct_record_add_child (bill, "returnto"), "contactname", "289533", NULL);
  add_fields (bill, "basecurr", "USD", "currency", "USD", NULL);
  add_date (bill, "exchratedate", "2015", "06", "30");
  add_fields (bill, "exchratetype", "Intacct Daily Rate", "nogl", "false", "supdocid", "6942", NULL);
  custom = cb_intacct_record_add_child (cb_intacct_record_add_child (bill, "customfields"), "customfield");
  add_fields (custom, "customfieldname", "customfield1", "customfieldvalue", "customvalue1", NULL);
  items = cb_intacct_record_add_child (bill, "billitems");
  line = cb_intacct_record_add_child (items, "lineitem");
  add_fields (line, "glaccountno", "", "amount", "76343.43", NULL);

  return serialize_function (cb_intacct_function_new ("unittest", bill));
}

static GBytes *
build_create_project (void)
{
  CbIntacctRecord *project = cb_intacct_record_new ("PROJECT");

  add_fields (project, "NAME", "hello world", "PROJECTCATEGORY", "Contract", NULL);
  return create_one (project);
}

static GBytes *
build_create_task (void)
{
  CbIntacctRecord *task = cb_intacct_record_new ("TASK");

  add_fields (task, "NAME", "hello world", "PROJECTID", "P1234", NULL);
  return create_one (task);
}

static GBytes *
build_create_vendor (void)
{
  CbIntacctRecord *vendor = cb_intacct_record_new ("VENDOR");

  add_fields (vendor, "NAME", "Vendor ABC", NULL);
  add_fields (cb_intacct_record_add_child (vendor, "DISPLAYCONTACT"), "PRINTAS", "Vendor ABC Inc", NULL);
  return create_one (vendor);
}

static GBytes *
build_get_api_session_entity (void)
{
  return serialize_function (cb_intacct_function_get_api_session ("unittest", "100"));
}

static GBytes *
build_query_nested_filter (void)
{
  const char *select[] = { "BATCHNO", "RECORDNO", "STATE", NULL };
  CbIntacctRecord *filter;

  filter = cb_intacct_filter_or (cb_intacct_filter_compare ("equalto", "JOURNAL", "APJ"),
                                 cb_intacct_filter_and (cb_intacct_filter_compare ("greaterthanorequalto",
                                                                                   "BATCHNO", "1"),
                                                        cb_intacct_filter_compare ("equalto", "STATE", "Posted"),
                                                        NULL),
                                 NULL);
  return serialize_function (cb_intacct_function_query ("unittest", "GLBATCH", select, filter,
                                                        NULL, FALSE, 0, 0, FALSE, FALSE));
}

static GBytes *
build_read_by_query (void)
{
  CbIntacctFunction *function = cb_intacct_function_read_by_query ("unittest", "CLASS", "RECORDNO", "", 100);

  /* docparid has no builder argument: it goes into the operation record. */
  cb_intacct_record_add_field (cb_intacct_function_get_operation (function), "docparid", "255252235");
  return serialize_function (function);
}

static GBytes *
build_read_more (void)
{
  return serialize_function (cb_intacct_function_read_more ("unittest", "6465763031VyprCMCoHYQAAGr@aRsAAAAU4"));
}

static GBytes *
build_update_vendor_full (void)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  CbIntacctRecord *vendor = cb_intacct_record_new ("VENDOR");
  CbIntacctRecord *contact;

  add_fields (vendor, "VENDORID", "V1234", "NAME", "SaaS Co", NULL);
  contact = cb_intacct_record_add_child (vendor, "DISPLAYCONTACT");
  add_fields (contact,
              "PRINTAS", "SaaS Corp", "COMPANYNAME", "SaaS Co", "TAXABLE", "true", "TAXGROUP", "CA",
              "PREFIX", "Mr", "FIRSTNAME", "Bill", "LASTNAME", "Smith", "INITIAL", "G",
              "PHONE1", "12", "PHONE2", "34", "CELLPHONE", "56", "PAGER", "78", "FAX", "90",
              "EMAIL1", "noreply@intacct.com", "EMAIL2", "noreplyagain@intacct.com",
              "URL1", "www.intacct.com", "URL2", "us.intacct.com", NULL);
  add_fields (cb_intacct_record_add_child (contact, "MAILADDRESS"),
              "ADDRESS1", "300 Park Ave", "ADDRESS2", "Ste 1400", "CITY", "San Jose", "STATE", "CA",
              "ZIP", "95110", "COUNTRY", "United States", "COUNTRYCODE", "US", NULL);
  add_fields (vendor,
              "ONETIME", "false", "STATUS", "active", "HIDEDISPLAYCONTACT", "false", "VENDTYPE", "SaaS",
              "PARENTID", "V5678", "GLGROUP", "Group", "TAXID", "12-3456789", "NAME1099", "SAAS CORP",
              "FORM1099TYPE", "MISC", "FORM1099BOX", "3", "SUPDOCID", "A1234", "APACCOUNT", "2000",
              "CREDITLIMIT", "1234.56", "ONHOLD", "false", "DONOTCUTCHECK", "false",
              "COMMENTS", "my comment", "CURRENCY", "USD", NULL);
  add_fields (cb_intacct_record_add_child (vendor, "CONTACTINFO"), "CONTACTNAME", "primary", NULL);
  add_fields (cb_intacct_record_add_child (vendor, "PAYTO"), "CONTACTNAME", "pay to", NULL);
  add_fields (cb_intacct_record_add_child (vendor, "RETURNTO"), "CONTACTNAME", "return to", NULL);
  add_fields (vendor,
              "PAYMETHODKEY", "Printed Check", "MERGEPAYMENTREQ", "true", "PAYMENTNOTIFY", "true",
              "BILLINGTYPE", "openitem", "PAYMENTPRIORITY", "Normal", "TERMNAME", "N30",
              "DISPLAYTERMDISCOUNT", "false", "ACHENABLED", "true", "ACHBANKROUTINGNUMBER", "123456789",
              "ACHACCOUNTNUMBER", "1111222233334444", "ACHACCOUNTTYPE", "Checking Account",
              "ACHREMITTANCETYPE", "CTX", "VENDORACCOUNTNO", "9999999", "DISPLAYACCTNOCHECK", "false",
              "OBJECTRESTRICTION", "Restricted", "RESTRICTEDLOCATIONS", "100#~#200",
              "RESTRICTEDDEPARTMENTS", "D100#~#D200", "CUSTOMFIELD1", "Hello", NULL);
  g_ptr_array_add (objects, vendor);
  return serialize_function (cb_intacct_function_update ("unittest", objects));
}

static GBytes *
build_login_get_api_session (void)
{
  CbIntacctRequest *request = cb_intacct_request_new ();

  request->sender_id = g_strdup ("sensitiveSenderId");
  request->sender_password = g_strdup ("sender_password");
  request->control_id = g_strdup ("timestamp");
  request->auth_kind = CB_INTACCT_AUTH_LOGIN;
  request->user_id = g_strdup ("sensitiveUserId");
  request->company_id = g_strdup ("companyId");
  request->user_password = g_strdup ("user_password");
  cb_intacct_request_add_function (request, cb_intacct_function_get_api_session ("9209530295623", NULL));
  return serialize_request (request);
}

static GBytes *
build_session_empty_content (void)
{
  CbIntacctRequest *request = cb_intacct_request_new ();

  request->sender_id = g_strdup ("testsenderid");
  request->sender_password = g_strdup ("pass123!");
  request->control_id = g_strdup ("unittest");
  request->auth_kind = CB_INTACCT_AUTH_SESSION;
  request->session_id = g_strdup ("testsession..");
  return serialize_request (request);
}

/* Extra checks for replies where a table row is not enough */

static CbIntacctRecord *
first_record (CbIntacctResponse *response,
              guint              result)
{
  CbIntacctResult *r = g_ptr_array_index (response->results, result);

  g_assert_cmpuint (r->records->len, >, 0);
  return g_ptr_array_index (r->records, 0);
}

static void
extra_session (CbIntacctResponse *response,
               const char        *auth_location,
               const char        *session_id,
               const char        *api_location)
{
  CbIntacctRecord *api = first_record (response, 0);

  g_assert_cmpstr (cb_intacct_record_get_name (api), ==, "api");
  g_assert_cmpstr (response->location_id, ==, auth_location);
  g_assert_cmpstr (cb_intacct_record_get_field (api, "sessionid"), ==, session_id);
  g_assert_cmpstr (cb_intacct_record_get_field (api, "endpoint"), ==,
                   "https://unittest.intacct.com/ia/xml/xmlgw.phtml");
  g_assert_cmpstr (cb_intacct_record_get_field (api, "locationid"), ==, api_location);
  g_assert_cmpstr (response->session_timestamp, ==, "2015-12-06T15:57:08-08:00");
}

static void
extra_session_login (CbIntacctResponse *response)
{
  extra_session (response, "", "fAkESesSiOnId..", "");
  g_assert_cmpstr (response->session_timeout, ==, "2015-12-07T15:57:08-08:00");
}

static void
extra_session_entity (CbIntacctResponse *response)
{
  extra_session (response, "testentity", "fAkESesSiOnId..", "testentity");
}

static void
extra_session_switch (CbIntacctResponse *response)
{
  extra_session (response, "entityA", "EntityBSession..", "entityB");
}

static void
extra_no_timeout (CbIntacctResponse *response)
{
  g_autoptr(GDateTime) stamp = cb_intacct_parse_datetime (response->session_timestamp);

  extra_session (response, "", "unittest..", "");
  g_assert_null (response->session_timeout);
  g_assert_nonnull (stamp);
  g_assert_cmpint (g_date_time_get_utc_offset (stamp) / G_TIME_SPAN_HOUR, ==, -8);
}

static void
extra_auth_failure (CbIntacctResponse *response)
{
  g_assert_cmpstr (response->user_id, ==, "fakeuser");
  g_assert_cmpstr (response->location_id, ==, "");
  g_assert_null (response->session_timestamp);
}

static void
extra_demo_expired (CbIntacctResponse *response)
{
  g_assert_cmpstr (response->sender_id, ==, "");
  g_assert_cmpstr (response->control_id, ==, "");
  g_assert_null (response->unique_id);
  g_assert_null (response->dtd_version);
  g_assert_false (response->has_operation);
}

static void
extra_http401 (CbIntacctResponse *response)
{
  const CbIntacctErrorEntry *entry = g_ptr_array_index (response->control_errors, 0);

  g_assert_null (response->sender_id);
  g_assert_cmpstr (entry->description, ==, "Sign-in information is incorrect. Please check your request.");
  g_assert_null (entry->description2);
  g_assert_null (entry->correction);
}

static void
extra_delete_not_found (CbIntacctResponse *response)
{
  CbIntacctResult *result = g_ptr_array_index (response->results, 0);
  g_autoptr(GError) error = NULL;
  const CbIntacctErrorEntry *entry = g_ptr_array_index (result->errors, 0);

  /* &#039; is an XML character reference here, so the text already holds quotes. */
  g_assert_cmpstr (entry->description2, ==, "Cannot find class with key 'UT01' to delete.");
  g_assert_false (cb_intacct_result_check (result, &error));
  g_assert_nonnull (strstr (error->message, "Cannot find class with key 'UT01' to delete."));
}

static void
extra_no_location (CbIntacctResponse *response)
{
  g_assert_null (response->location_id);
  g_assert_null (response->session_timeout);
}

static void
extra_inspect (CbIntacctResponse *response)
{
  CbIntacctRecord *type = first_record (response, 0);
  CbIntacctRecord *fields = cb_intacct_record_get_child (type, "Fields");
  CbIntacctRecord *field;

  g_assert_cmpstr (cb_intacct_record_get_attribute (type, "Name"), ==, "CUSTOMER");
  g_assert_cmpstr (cb_intacct_record_get_field (cb_intacct_record_get_child (type, "Attributes"),
                                                "SingularName"), ==, "Customer");
  g_assert_nonnull (fields);
  g_assert_cmpuint (cb_intacct_record_get_n_children (fields), ==, 174);
  field = cb_intacct_record_get_nth_child (fields, 1);
  g_assert_cmpstr (cb_intacct_record_get_field (field, "Name"), ==, "CUSTOMERID");
  g_assert_cmpstr (cb_intacct_record_get_field (field, "isRequired"), ==, "true");
  g_assert_cmpstr (cb_intacct_record_get_field (field, "GroupName"), ==, "");
}

static void
extra_mixed (CbIntacctResponse *response)
{
  CbIntacctRecord *legacy = first_record (response, 0);
  CbIntacctRecord *api = first_record (response, 2);
  CbIntacctRecord *vendor = first_record (response, 1);

  g_assert_cmpstr (cb_intacct_record_get_field (legacy, "vendorid"), ==, "V0004");
  /* The same field, whatever the case the gateway used. */
  g_assert_cmpstr (cb_intacct_record_get_field (legacy, "TAXID"), ==,
                   cb_intacct_record_get_field (vendor, "taxid"));
  g_assert_cmpstr (cb_intacct_record_get_field (api, "sessionid"), ==, "helloWorld..");
  g_assert_null (cb_intacct_record_get_field (api, "locationid"));
}

static void
extra_aborted (CbIntacctResponse *response)
{
  CbIntacctResult *result = g_ptr_array_index (response->results, 0);
  g_autoptr(GError) error = NULL;

  /* Reported as rolled back, but the message names the cause, not the notice. */
  g_assert_false (cb_intacct_result_check (result, &error));
  g_assert_nonnull (strstr (error->message, "VENDOR9"));
  g_assert_cmpint (cb_intacct_classify_errors (CB_INTACCT_LEVEL_RESULT, result->errors, FALSE), ==,
                   CB_INTACCT_ERROR_NOT_FOUND);
}

static void
extra_class_dates (CbIntacctResponse *response)
{
  CbIntacctRecord *record = first_record (response, 0);
  g_autoptr(GDateTime) created = cb_intacct_parse_datetime (cb_intacct_record_get_field (record, "WHENCREATED"));

  g_assert_nonnull (created);
  g_assert_cmpint (g_date_time_get_year (created), ==, 2017);
  g_assert_cmpint (g_date_time_get_month (created), ==, 7);
  g_assert_cmpint (g_date_time_get_day_of_month (created), ==, 24);
  g_assert_cmpint (g_date_time_get_hour (created), ==, 15);
  g_assert_cmpstr (cb_intacct_record_get_field (record, "DESCRIPTION"), ==, "");
}

static void
extra_update_failure (CbIntacctResponse *response)
{
  CbIntacctResult *result = g_ptr_array_index (response->results, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_intacct_result_check (result, &error));
  g_assert_nonnull (strstr (error->message, "Cannot update non-existing CLASS with CLASSID=UT99."));
}

/* The table: one row per sample file */

#define RESULT_OK(fn, cid) "success", fn, cid
#define R_NO_DATA NULL, -1, -1, -1, "-", -1, NULL, NULL, NULL

static const Sample samples[] = {
  /* Requests */
  { "request-fragment-control-uniqueid-policyid.xml", TRUE, build_control_uniqueid_policyid, "control" },
  { "request-function-create-bill-legacy.xml", TRUE, build_create_bill_legacy, "function" },
  { "request-function-create-project.xml", TRUE, build_create_project, "function" },
  { "request-function-create-task.xml", TRUE, build_create_task, "function" },
  { "request-function-create-vendor.xml", TRUE, build_create_vendor, "function" },
  { "request-function-getAPISession-entity.xml", TRUE, build_get_api_session_entity, "function" },
  { "request-function-query-nested-filter.xml", TRUE, build_query_nested_filter, "function" },
  { "request-function-readByQuery.xml", TRUE, build_read_by_query, "function" },
  { "request-function-readMore.xml", TRUE, build_read_more, "function" },
  { "request-function-update-vendor-full.xml", TRUE, build_update_vendor_full, "function" },
  { "request-login-getAPISession.xml", TRUE, build_login_get_api_session, "request" },
  { "request-session-empty-content.xml", TRUE, build_session_empty_content, "request" },

  /* Replies */
  { "response-create-error-duplicate.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "failure", "create", "create", "objects", 0, -1, -1, "-", 0, NULL, NULL, NULL,
          CB_INTACCT_ERROR_DUPLICATE, "BL34000061,BL01001973,BL01001973" } } } },
  { "response-create-two-objects-success.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("create", "create"), "objects", 2, -1, -1, "-", 2, "class", "CLASSID", "UT01",
          NO_ERROR, NULL } } } },
  { "response-delete-error-key-not-found.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "failure", "delete", "delete", R_NO_DATA, CB_INTACCT_ERROR_NOT_FOUND, "BL01001973" } },
      extra_delete_not_found } },
  { "response-error-authentication-failure.xml", .reply = {
      TRUE, "success", CB_INTACCT_ERROR_AUTH_FAILED, CB_INTACCT_ERROR_SESSION_INVALID, "failure",
      "XL03000006", 0, { { NULL } }, extra_auth_failure } },
  { "response-error-control-failure-demo-expired.xml", .reply = {
      TRUE, "failure", CB_INTACCT_ERROR_COMPANY_UNAVAILABLE, CB_INTACCT_ERROR_COMPANY_UNAVAILABLE, NULL,
      "PL04000055", 0, { { NULL } }, extra_demo_expired } },
  { "response-error-control-failure-invalid-policy.xml", .reply = {
      TRUE, "failure", CB_INTACCT_ERROR_INVALID_REQUEST, CB_INTACCT_ERROR_INVALID_REQUEST, NULL,
      "XL03000006", 0 } },
  { "response-error-getUserPermissions-login-not-found.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "failure", "getUserPermissions", "getUserPermissions", R_NO_DATA,
          CB_INTACCT_ERROR_NOT_FOUND, "BL03000025" } },
      extra_no_location } },
  { "response-error-http401-xmlgw-signin.xml", .reply = {
      TRUE, "failure", CB_INTACCT_ERROR_AUTH_FAILED, CB_INTACCT_ERROR_AUTH_FAILED, NULL,
      "XMLGW_JPP0002", 0, { { NULL } }, extra_http401 } },
  { "response-getAPISession-entity-login.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("getSession", "testControlId"), NULL, -1, -1, -1, "-", 1, "api", "locationid",
          "testentity", NO_ERROR, NULL } },
      extra_session_entity } },
  { "response-getAPISession-entity-switch.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("getSession", "testControlId"), NULL, -1, -1, -1, "-", 1, "api", "locationid",
          "entityB", NO_ERROR, NULL } },
      extra_session_switch } },
  { "response-getAPISession-login-success.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("getSession", "testControlId"), NULL, -1, -1, -1, "-", 1, "api", "sessionid",
          "fAkESesSiOnId..", NO_ERROR, NULL } },
      extra_session_login } },
  { "response-getAPISession-no-sessiontimeout.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("getAPISession", "func1UnitTest"), NULL, -1, -1, -1, "-", 1, "api", "sessionid",
          "unittest..", NO_ERROR, NULL } },
      extra_no_timeout } },
  { "response-inspect-customer-detail.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("inspect", "inspect"), "All", 1, -1, -1, "-", 1, "Type", NULL, NULL, NO_ERROR, NULL } },
      extra_inspect } },
  { "response-malformed-empty-control.xml", .reply = { FALSE } },
  { "response-malformed-missing-operation.xml", .reply = {
      TRUE, "success", CB_INTACCT_ERROR_MALFORMED_REPLY, CB_INTACCT_ERROR_MALFORMED_REPLY, NULL, NULL, 0 } },
  { "response-multi-function-mixed-results.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 3,
      { { RESULT_OK ("get_list", "test1"), "vendor", -1, -1, -1, "-", 1, "vendor", "recordno", "4",
          NO_ERROR, NULL },
        { RESULT_OK ("readByQuery", "test2"), "vendor", 1, 1, 0, "", 1, "vendor", "RECORDNO", "4",
          NO_ERROR, NULL },
        { RESULT_OK ("getAPISession", "test3"), NULL, -1, -1, -1, "-", 1, "api", "endpoint",
          "https://unittest.intacct.com/ia/xml/xmlgw.phtml", NO_ERROR, NULL } },
      extra_mixed } },
  { "response-multi-function-transaction-rollback.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 2,
      { { "aborted", "getAPISession", "func1UnitTest", R_NO_DATA, CB_INTACCT_ERROR_ROLLED_BACK, "XL03000009" },
        { "failure", "getAPISession", "func2UnitTest", R_NO_DATA, CB_INTACCT_ERROR_OTHER,
          "Get API Session Failed,XL03000009" } } } },
  { "response-offline-acknowledgement.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, NULL, NULL, 0 } },
  { "response-read-customer.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("read", "7cad3f85-d533-4ae4-80bc-e96e58b5a822"), "CUSTOMER", 1, -1, -1, "-", 1,
          "CUSTOMER", "CUSTOMERID", "10074", NO_ERROR, NULL } } } },
  { "response-read-error-object-not-found.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "failure", "read", "testFunctionId", R_NO_DATA, CB_INTACCT_ERROR_NOT_FOUND, "XXX" } } } },
  { "response-readByQuery-aborted-transaction.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "aborted", "readByQuery", "testFunctionId", R_NO_DATA, CB_INTACCT_ERROR_ROLLED_BACK,
          "Query Failed,XL03000009" } },
      extra_aborted } },
  { "response-readByQuery-class-multiple-records-paged.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("readByQuery", "818b0a96-3faf-4931-97e6-1cf05818ea44"), "class", 2, 3, 1, "myResultId",
          2, "class", "CLASSID", "C1234", NO_ERROR, NULL } },
      extra_class_dates } },
  { "response-readByQuery-class-page1-resultid.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("readByQuery", "818b0a96-3faf-4931-97e6-1cf05818ea44"), "class", 1, 2, 1, "myResultId",
          1, "class", "RECORDNO", "8", NO_ERROR, NULL } },
      extra_class_dates } },
  { "response-readByQuery-customer-count-100000.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("readByQuery", "testFunctionId"), "customer", 100000, 100001, 1,
          "6465763031V2wi28CoHYQAAF0HcP8AAAAc5", 1, "customer", "RECORDNO", "1", NO_ERROR, NULL } } } },
  { "response-readByQuery-empty.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("readByQuery", "testControlId"), "department", 0, 0, 0, "", 0, NULL, NULL, NULL,
          NO_ERROR, NULL } } } },
  { "response-readByQuery-error-DL02000001.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "failure", "readByQuery", "readByQuery", R_NO_DATA, CB_INTACCT_ERROR_OTHER, "DL02000001" } } } },
  { "response-readByQuery-error-object-not-found.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "failure", "readByQuery", "testControlId", R_NO_DATA, CB_INTACCT_ERROR_NOT_FOUND, "Query Failed" } } } },
  { "response-readByQuery-glaccount-page1.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("readByQuery", "readByQuery"), "glaccount", 1, 2, 1, "7765623330Vqb8pMCoA4IAAEnuglgAAAAL5",
          1, "glaccount", "ACCOUNTNO", "1010", NO_ERROR, NULL } } } },
  { "response-readMore-error-expired-resultid.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "failure", "readMore", "testFunctionId", R_NO_DATA, CB_INTACCT_ERROR_NOT_FOUND, "readMore failed" } } } },
  { "response-readMore-glaccount-page2-last.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { RESULT_OK ("readMore", "readMore"), "glaccount", 1, 2, 0, "7765623330Vqb8pMCoA4IAAEnuglgAAAAL5",
          1, "glaccount", "ACCOUNTNO", "1020", NO_ERROR, NULL } } } },
  { "response-update-error-nonexistent-record.xml", .reply = {
      TRUE, "success", NO_ERROR, NO_ERROR, "success", NULL, 1,
      { { "failure", "update", "create", "objects", 1, -1, -1, "-", 1, "class", "CLASSID", "UT01",
          CB_INTACCT_ERROR_NOT_FOUND, "Cannot update non-existing CLASS with CLASSID=UT99." } },
      extra_update_failure } },
};

/* Running a row */

static char *
join_errornos (GPtrArray *entries)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (entries == NULL || entries->len == 0)
    return NULL;
  for (guint i = 0; i < entries->len; i++)
    {
      const CbIntacctErrorEntry *entry = g_ptr_array_index (entries, i);
      g_ptr_array_add (parts, entry->errorno != NULL ? entry->errorno : (char *) "(null)");
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (",", (char **) parts->pdata);
}

static gboolean
load_sample (const Sample  *sample,
             char         **data,
             gsize         *length)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (samples_dir == NULL)
    {
      g_test_skip ("no samples folder (COSTBRIDGE_SHARED_DIR/intacct/samples)");
      return FALSE;
    }
  path = g_build_filename (samples_dir, sample->file, NULL);
  if (!g_file_get_contents (path, data, length, &error))
    {
      g_test_message ("the table lists %s, which cannot be read: %s", sample->file, error->message);
      g_test_fail ();
      return FALSE;
    }
  return TRUE;
}

static void
check_request (const Sample *sample,
               const char   *data,
               gsize         length)
{
  g_autoptr(GBytes) ours = sample->build ();
  g_autofree char *expected = canonical_element (data, length, sample->compare_element);
  g_autofree char *actual = NULL;

  g_assert_nonnull (ours);
  actual = canonical_element (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours),
                              sample->compare_element);
  g_assert_cmpstr (actual, ==, expected);
}

static void
check_result (CbIntacctResult    *result,
              const ResultExpect *expect)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *errornos = join_errornos (result->errors);

  g_assert_cmpstr (result->status, ==, expect->status);
  g_assert_cmpstr (result->function, ==, expect->function);
  g_assert_cmpstr (result->control_id, ==, expect->control_id);
  g_assert_cmpstr (result->list_type, ==, expect->list_type);
  g_assert_cmpint (result->count, ==, expect->count);
  g_assert_cmpint (result->total_count, ==, expect->total_count);
  g_assert_cmpint (result->num_remaining, ==, expect->num_remaining);
  if (g_strcmp0 (expect->result_id, "-") == 0)
    g_assert_null (result->result_id);
  else
    g_assert_cmpstr (result->result_id, ==, expect->result_id);

  if (expect->n_records < 0)
    {
      g_assert_false (result->has_data);
      g_assert_cmpuint (result->records->len, ==, 0);
    }
  else
    {
      g_assert_true (result->has_data);
      g_assert_cmpuint (result->records->len, ==, (guint) expect->n_records);
    }
  if (expect->first_record != NULL)
    {
      CbIntacctRecord *first = g_ptr_array_index (result->records, 0);

      g_assert_cmpstr (cb_intacct_record_get_name (first), ==, expect->first_record);
      if (expect->first_field != NULL)
        g_assert_cmpstr (cb_intacct_record_get_field (first, expect->first_field), ==, expect->first_value);
    }

  g_assert_cmpstr (errornos, ==, expect->errornos);
  if (expect->code == NO_ERROR)
    {
      g_assert_true (cb_intacct_result_check (result, &error));
      g_assert_no_error (error);
    }
  else
    {
      const CbIntacctErrorPrivate *details;

      g_assert_false (cb_intacct_result_check (result, &error));
      g_assert_error (error, CB_INTACCT_ERROR, expect->code);
      details = cb_intacct_error_get_details (error);
      g_assert_cmpint (details->level, ==, CB_INTACCT_LEVEL_RESULT);
      g_assert_cmpstr (details->function_control_id, ==, expect->control_id);
      g_assert_cmpuint (details->entries->len, ==, result->errors->len);
      /* None of the SDK samples carries a Support ID. */
      g_assert_null (cb_intacct_error_get_support_id (error));
    }
}

static void
check_level (CbIntacctResponse *response,
             gboolean           session_auth,
             int                code)
{
  g_autoptr(GError) error = NULL;

  if (code == NO_ERROR)
    {
      g_assert_true (cb_intacct_response_check (response, session_auth, &error));
      g_assert_no_error (error);
      return;
    }
  g_assert_false (cb_intacct_response_check (response, session_auth, &error));
  g_assert_error (error, CB_INTACCT_ERROR, code);
  g_assert_null (strstr (error->message, "<"));
}

static void
check_reply (const Sample *sample,
             const char   *data,
             gsize         length)
{
  const ReplyExpect *expect = &sample->reply;
  g_autoptr(CbIntacctResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *level_errornos = NULL;

  response = cb_intacct_response_parse (data, length, &error);
  if (!expect->parses)
    {
      g_assert_null (response);
      g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_MALFORMED_REPLY);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (response);

  g_assert_cmpstr (response->control_status, ==, expect->control_status);
  g_assert_cmpstr (response->auth_status, ==, expect->auth_status);
  g_assert_true (response->has_authentication == (expect->auth_status != NULL));
  if (g_strcmp0 (expect->control_status, "success") != 0)
    level_errornos = join_errornos (response->control_errors);
  else
    level_errornos = join_errornos (response->auth_errors);
  g_assert_cmpstr (level_errornos, ==, expect->level_errornos);

  check_level (response, FALSE, expect->check_code);
  check_level (response, TRUE, expect->session_code);

  g_assert_cmpuint (response->results->len, ==, expect->n_results);
  for (guint i = 0; i < expect->n_results; i++)
    {
      CbIntacctResult *result = g_ptr_array_index (response->results, i);

      check_result (result, &expect->results[i]);
      g_assert_true (cb_intacct_response_find_result (response, result->control_id) == result);
    }

  if (expect->extra != NULL)
    expect->extra (response);
}

static void
test_sample (gconstpointer user_data)
{
  const Sample *sample = user_data;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!load_sample (sample, &data, &length))
    return;
  if (sample->is_request)
    check_request (sample, data, length);
  else
    check_reply (sample, data, length);
}

/* Every file in the folder has a row. */
static void
test_all_listed (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;

  if (samples_dir == NULL)
    {
      g_test_skip ("no samples folder (COSTBRIDGE_SHARED_DIR/intacct/samples)");
      return;
    }
  dir = g_dir_open (samples_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean listed = FALSE;

      if (!g_str_has_suffix (name, ".xml"))
        continue;
      n_files++;
      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        if (g_str_equal (samples[i].file, name))
          listed = TRUE;
      if (!listed)
        {
          g_test_message ("sample %s has no row in the table of expected outcomes", name);
          g_test_fail ();
        }
    }
  g_assert_cmpuint (n_files, >, 0);
}

/* readByQuery page 1, then readMore page 2, as a client walks them. */
static void
test_paging_walk (void)
{
  const char *pages[] = { "response-readByQuery-glaccount-page1.xml",
                          "response-readMore-glaccount-page2-last.xml" };
  g_autoptr(GString) accounts = g_string_new (NULL);
  g_autofree char *result_id = NULL;
  gint64 total = -1;
  gint64 seen = 0;

  if (samples_dir == NULL)
    {
      g_test_skip ("no samples folder (COSTBRIDGE_SHARED_DIR/intacct/samples)");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *path = g_build_filename (samples_dir, pages[i], NULL);
      g_autofree char *data = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CbIntacctResponse) response = NULL;
      CbIntacctResult *result;
      gsize length;

      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      response = cb_intacct_response_parse (data, length, &error);
      g_assert_no_error (error);
      g_assert_true (cb_intacct_response_check (response, TRUE, NULL));
      g_assert_cmpuint (response->results->len, ==, 1);
      result = g_ptr_array_index (response->results, 0);
      g_assert_true (cb_intacct_result_check (result, NULL));

      if (i == 0)
        {
          total = result->total_count;
          result_id = g_strdup (result->result_id);
        }
      else
        {
          /* readMore answers for the same resultId. */
          g_assert_cmpstr (result->result_id, ==, result_id);
          g_assert_cmpint (result->total_count, ==, total);
        }
      for (guint j = 0; j < result->records->len; j++)
        g_string_append_printf (accounts, "%s;",
                                cb_intacct_record_get_field (g_ptr_array_index (result->records, j),
                                                             "ACCOUNTNO"));
      seen += result->records->len;
      if (result->num_remaining == 0)
        {
          g_assert_cmpuint (i, ==, G_N_ELEMENTS (pages) - 1);
          break;
        }
      g_assert_cmpint (result->num_remaining, ==, total - seen);
    }
  g_assert_cmpint (seen, ==, total);
  g_assert_cmpstr (accounts->str, ==, "1010;1020;");
}

int
main (int   argc,
      char *argv[])
{
  const char *shared;

  g_test_init (&argc, &argv, NULL);

  shared = g_getenv ("COSTBRIDGE_SHARED_DIR");
  if (shared != NULL)
    {
      g_autofree char *dir = g_build_filename (shared, "intacct", "samples", NULL);
      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        samples_dir = g_steal_pointer (&dir);
    }

  g_test_add_func ("/intacct/samples/all-listed", test_all_listed);
  g_test_add_func ("/intacct/samples/paging-walk", test_paging_walk);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = g_strdup_printf ("/intacct/samples/%s", samples[i].file);
      g_test_add_data_func (path, &samples[i], test_sample);
    }

  {
    int rc = g_test_run ();
    g_free (samples_dir);
    return rc;
  }
}
