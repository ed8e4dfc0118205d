/* test-intacct-response.c: the reply parser and error classification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixtures are our own, under tests/data/replies/. The SDK samples are covered by
 * test-intacct-samples.c.
 */

#define G_LOG_DOMAIN "test-intacct-response"

#include "config.h"

#include <string.h>

#include "cb-error.h"
#include "cb-intacct-response.h"

static char *
load_reply (const char *name,
            gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "replies", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static CbIntacctResponse *
parse_file (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  CbIntacctResponse *response;
  gsize length = 0;

  data = load_reply (name, &length);
  response = cb_intacct_response_parse (data, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

static void
assert_parse_fails (const char *data,
                    gsize       length,
                    const char *expected_in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctResponse) response = cb_intacct_response_parse (data, length, &error);

  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_MALFORMED_REPLY);
  if (expected_in_message != NULL && strstr (error->message, expected_in_message) == NULL)
    g_error ("“%s” not found in “%s”", expected_in_message, error->message);
}

static void
assert_parse_file_fails (const char *name,
                         const char *expected_in_message)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  data = load_reply (name, &length);
  assert_parse_fails (data, length, expected_in_message);
}

/* Records */

static void
test_records (void)
{
  g_autoptr(CbIntacctResponse) response = parse_file ("read-apbill-lines.xml");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  CbIntacctResult *result;
  CbIntacctRecord *bill, *line;

  g_assert_true (cb_intacct_response_check (response, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (response->control_id, ==, "req-bills");
  g_assert_cmpstr (response->unique_id, ==, "true");
  g_assert_cmpstr (response->location_id, ==, "EAST");
  g_assert_null (response->session_timeout);
  g_assert_cmpuint (response->results->len, ==, 5);

  result = cb_intacct_response_find_result (response, "fn-read-bill");
  g_assert_nonnull (result);
  g_assert_true (cb_intacct_result_check (result, NULL));
  g_assert_cmpstr (result->function, ==, "read");
  g_assert_cmpstr (result->list_type, ==, "APBILL");
  g_assert_true (result->has_data);
  g_assert_cmpint (result->count, ==, 1);
  g_assert_cmpint (result->total_count, ==, -1);
  g_assert_cmpint (result->num_remaining, ==, -1);
  g_assert_cmpint (result->offset, ==, -1);
  g_assert_null (result->result_id);
  g_assert_cmpstr (cb_intacct_record_get_name (result->data), ==, "data");
  g_assert_cmpstr (cb_intacct_record_get_attribute (result->data, "count"), ==, "1");

  /* The comment is not a record. */
  g_assert_cmpuint (result->records->len, ==, 1);
  bill = g_ptr_array_index (result->records, 0);
  g_assert_true (bill == cb_intacct_record_get_nth_child (result->data, 0));
  g_assert_cmpstr (cb_intacct_record_get_name (bill), ==, "APBILL");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "recordno"), ==, "3107");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "RECORDID"), ==, "INV-88-<A&B>");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "DESCRIPTION"), ==, "");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "MEMO"), ==, "");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "NOTE"), ==, "  padded  ");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "CDATAFIELD"), ==, "5 < 6 & 7");
  g_assert_null (cb_intacct_record_get_field (bill, "WHENPOSTED"));

  lines = cb_intacct_record_get_lines (bill, "APBILLITEMS");
  g_assert_cmpuint (lines->len, ==, 2);
  line = g_ptr_array_index (lines, 0);
  g_assert_cmpstr (cb_intacct_record_get_name (line), ==, "apbillitem");
  g_assert_cmpstr (cb_intacct_record_get_field (line, "TRX_AMOUNT"), ==, "1200.00");
  g_assert_cmpstr (cb_intacct_record_get_field (line, "COSTTYPEID"), ==, "MAT");
  line = g_ptr_array_index (lines, 1);
  g_assert_cmpstr (cb_intacct_record_get_field (line, "RECORDNO"), ==, "9002");
  g_assert_cmpstr (cb_intacct_record_get_field (line, "TRX_AMOUNT"), ==, "-35.50");
  g_assert_cmpuint (cb_intacct_record_get_n_children (line), ==, 6);

  /* query: offset and dotted names. */
  result = cb_intacct_response_find_result (response, "fn-query-page3");
  g_assert_nonnull (result);
  g_assert_cmpint (result->count, ==, 2);
  g_assert_cmpint (result->total_count, ==, 250);
  g_assert_cmpint (result->num_remaining, ==, 48);
  g_assert_cmpint (result->offset, ==, 200);
  g_assert_cmpuint (result->records->len, ==, 2);
  g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (result->records, 1), "vendor.name"),
                   ==, "Harbor Steel");
  g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (result->records, 0), "COUNT.RECORDNO"),
                   ==, "7");

  /* Legacy create: a key and no data. */
  result = cb_intacct_response_find_result (response, "fn-legacy-bill");
  g_assert_cmpstr (result->key, ==, "3108");
  g_assert_false (result->has_data);
  g_assert_null (result->data);
  g_assert_nonnull (result->records);
  g_assert_cmpuint (result->records->len, ==, 0);
  g_assert_cmpint (result->count, ==, -1);

  /* delete: nothing but the status. */
  result = cb_intacct_response_find_result (response, "fn-delete");
  g_assert_false (result->has_data);
  g_assert_null (result->key);
  g_assert_cmpuint (result->errors->len, ==, 0);

  /* Empty data: zero records, resultId "" once nothing remains. */
  result = cb_intacct_response_find_result (response, "fn-empty");
  g_assert_true (result->has_data);
  g_assert_cmpint (result->count, ==, 0);
  g_assert_cmpint (result->num_remaining, ==, 0);
  g_assert_cmpstr (result->result_id, ==, "");
  g_assert_cmpuint (result->records->len, ==, 0);

  g_assert_null (cb_intacct_response_find_result (response, "no-such-function"));
}

/* Records outlive the response they came from. */
static void
test_records_outlive_response (void)
{
  CbIntacctResponse *response = parse_file ("read-apbill-lines.xml");
  CbIntacctResult *result = cb_intacct_response_find_result (response, "fn-query-page3");
  g_autoptr(CbIntacctRecord) record = cb_intacct_record_ref (g_ptr_array_index (result->records, 0));

  cb_intacct_response_free (response);
  g_assert_cmpstr (cb_intacct_record_get_field (record, "VENDOR.NAME"), ==, "Bayside");
}

/* Classification */

typedef struct
{
  const char         *file;
  gboolean            session_auth;
  CbIntacctErrorCode  code;
  CbIntacctErrorLevel level;
} LevelCase;

static void
test_control_and_auth_errors (void)
{
  const LevelCase cases[] = {
    { "control-sender-authorization.xml", FALSE, CB_INTACCT_ERROR_SENDER_NOT_AUTHORIZED, CB_INTACCT_LEVEL_CONTROL },
    { "control-sender-credentials.xml", FALSE, CB_INTACCT_ERROR_SENDER_NOT_AUTHORIZED, CB_INTACCT_LEVEL_CONTROL },
    { "control-transport-policy.xml", FALSE, CB_INTACCT_ERROR_INVALID_REQUEST, CB_INTACCT_LEVEL_CONTROL },
    { "control-sign-in.xml", FALSE, CB_INTACCT_ERROR_AUTH_FAILED, CB_INTACCT_LEVEL_CONTROL },
    { "control-http401.xml", FALSE, CB_INTACCT_ERROR_AUTH_FAILED, CB_INTACCT_LEVEL_CONTROL },
    { "control-rate-limit.xml", FALSE, CB_INTACCT_ERROR_RATE_LIMITED, CB_INTACCT_LEVEL_CONTROL },
    { "control-rate-limit-text.xml", FALSE, CB_INTACCT_ERROR_RATE_LIMITED, CB_INTACCT_LEVEL_CONTROL },
    { "control-schema-error.xml", FALSE, CB_INTACCT_ERROR_INVALID_REQUEST, CB_INTACCT_LEVEL_CONTROL },
    { "control-invalid-request.xml", FALSE, CB_INTACCT_ERROR_INVALID_REQUEST, CB_INTACCT_LEVEL_CONTROL },
    { "control-demo-expired.xml", FALSE, CB_INTACCT_ERROR_COMPANY_UNAVAILABLE, CB_INTACCT_LEVEL_CONTROL },
    { "control-offline.xml", FALSE, CB_INTACCT_ERROR_COMPANY_UNAVAILABLE, CB_INTACCT_LEVEL_CONTROL },
    { "control-unknown.xml", FALSE, CB_INTACCT_ERROR_OTHER, CB_INTACCT_LEVEL_CONTROL },
    /* A control failure is never a session problem. */
    { "control-sign-in.xml", TRUE, CB_INTACCT_ERROR_AUTH_FAILED, CB_INTACCT_LEVEL_CONTROL },
    { "auth-sign-in.xml", FALSE, CB_INTACCT_ERROR_AUTH_FAILED, CB_INTACCT_LEVEL_AUTHENTICATION },
    { "auth-sign-in.xml", TRUE, CB_INTACCT_ERROR_SESSION_INVALID, CB_INTACCT_LEVEL_AUTHENTICATION },
    { "auth-sender.xml", FALSE, CB_INTACCT_ERROR_SENDER_NOT_AUTHORIZED, CB_INTACCT_LEVEL_AUTHENTICATION },
    { "auth-entity.xml", FALSE, CB_INTACCT_ERROR_ENTITY_NOT_ACCESSIBLE, CB_INTACCT_LEVEL_AUTHENTICATION },
    { "auth-location-invalid.xml", FALSE, CB_INTACCT_ERROR_ENTITY_NOT_ACCESSIBLE, CB_INTACCT_LEVEL_AUTHENTICATION },
    { "auth-entity.xml", TRUE, CB_INTACCT_ERROR_SESSION_INVALID, CB_INTACCT_LEVEL_AUTHENTICATION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbIntacctResponse) response = parse_file (cases[i].file);
      g_autoptr(GError) error = NULL;
      const CbIntacctErrorPrivate *details;
      GPtrArray *entries;

      g_test_message ("%s (session: %d)", cases[i].file, cases[i].session_auth);
      g_assert_false (cb_intacct_response_check (response, cases[i].session_auth, &error));
      g_assert_error (error, CB_INTACCT_ERROR, (gint) cases[i].code);
      entries = cases[i].level == CB_INTACCT_LEVEL_CONTROL ? response->control_errors : response->auth_errors;
      g_assert_cmpint (cb_intacct_classify_errors (cases[i].level, entries, cases[i].session_auth),
                       ==, cases[i].code);

      details = cb_intacct_error_get_details (error);
      g_assert_nonnull (details);
      g_assert_cmpint (details->level, ==, cases[i].level);
      g_assert_cmpuint (details->entries->len, ==, entries->len);
      g_assert_cmpuint (details->entries->len, >, 0);
      g_assert_null (details->function_control_id);

      /* A sentence for a person: no XML, no markup, ends with a full stop or a Support ID. */
      g_assert_null (strstr (error->message, "<"));
      g_assert_null (strstr (error->message, "&#"));
      g_assert_true (g_str_has_suffix (error->message, ".") || g_str_has_suffix (error->message, ")"));
    }
}

static void
test_messages (void)
{
  struct {
    const char *file;
    gboolean session_auth;
    const char *message;
    const char *support_id;
  } cases[] = {
    { "auth-sign-in.xml", FALSE, "Intacct refused the sign-in: Sign-in information is incorrect.", NULL },
    { "control-http401.xml", FALSE,
      "Intacct refused the sign-in: Sign-in information is incorrect. Please check your request.", NULL },
    { "control-sender-authorization.xml", FALSE,
      "Intacct did not accept the Web Services sender for this company: Invalid Web Services "
      "Authorization for sender costbridge-sender. Ask the company administrator to authorize the "
      "sender. (Support ID: 9fKq~Z2@Lm)", "9fKq~Z2@Lm" },
    { "control-unknown.xml", FALSE, "Intacct reported an error: Something unexpected happened 'here'.", NULL },
    { "control-offline.xml", FALSE,
      "The Intacct company is not available: The Service is Temporarily Off-line. Please try again later.",
      NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbIntacctResponse) response = parse_file (cases[i].file);
      g_autoptr(GError) error = NULL;

      g_assert_false (cb_intacct_response_check (response, cases[i].session_auth, &error));
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpstr (cb_intacct_error_get_support_id (error), ==, cases[i].support_id);
    }
}

static void
test_result_errors (void)
{
  struct {
    const char *control_id;
    CbIntacctErrorCode code;
    guint n_entries;
  } cases[] = {
    { "r-duplicate", CB_INTACCT_ERROR_DUPLICATE, 2 },
    { "r-duplicate-text", CB_INTACCT_ERROR_DUPLICATE, 1 },
    { "r-already-executed", CB_INTACCT_ERROR_ALREADY_EXECUTED, 1 },
    { "r-already-text", CB_INTACCT_ERROR_ALREADY_EXECUTED, 1 },
    { "r-permission", CB_INTACCT_ERROR_PERMISSION_DENIED, 1 },
    { "r-subscription", CB_INTACCT_ERROR_NOT_SUBSCRIBED, 1 },
    { "r-subscription-word", CB_INTACCT_ERROR_NOT_SUBSCRIBED, 1 },
    { "r-unknown-object", CB_INTACCT_ERROR_NOT_FOUND, 1 },
    { "r-login-missing", CB_INTACCT_ERROR_NOT_FOUND, 1 },
    { "r-cannot-find", CB_INTACCT_ERROR_NOT_FOUND, 1 },
    { "r-non-existing", CB_INTACCT_ERROR_NOT_FOUND, 1 },
    { "r-expired-resultid", CB_INTACCT_ERROR_NOT_FOUND, 1 },
    { "r-rolled-back", CB_INTACCT_ERROR_ROLLED_BACK, 1 },
    { "r-aborted", CB_INTACCT_ERROR_ROLLED_BACK, 2 },
    { "r-own-plus-rollback", CB_INTACCT_ERROR_PERMISSION_DENIED, 2 },
    { "r-other", CB_INTACCT_ERROR_OTHER, 1 },
    { "r-markup", CB_INTACCT_ERROR_OTHER, 1 },
  };
  g_autoptr(CbIntacctResponse) response = parse_file ("results-classified.xml");
  g_autoptr(GError) check_error = NULL;
  CbIntacctResult *ok;

  /* Levels 1 and 2 pass even though functions failed. */
  g_assert_true (cb_intacct_response_check (response, FALSE, &check_error));
  g_assert_no_error (check_error);
  g_assert_cmpuint (response->results->len, ==, G_N_ELEMENTS (cases) + 1);

  ok = cb_intacct_response_find_result (response, "r-success");
  g_assert_nonnull (ok);
  g_assert_true (cb_intacct_result_check (ok, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CbIntacctResult *result = cb_intacct_response_find_result (response, cases[i].control_id);
      g_autoptr(GError) error = NULL;
      const CbIntacctErrorPrivate *details;

      g_test_message ("%s", cases[i].control_id);
      g_assert_nonnull (result);
      g_assert_cmpuint (result->errors->len, ==, cases[i].n_entries);
      g_assert_false (cb_intacct_result_check (result, &error));
      g_assert_error (error, CB_INTACCT_ERROR, (gint) cases[i].code);

      details = cb_intacct_error_get_details (error);
      g_assert_cmpint (details->level, ==, CB_INTACCT_LEVEL_RESULT);
      g_assert_cmpstr (details->function_control_id, ==, cases[i].control_id);
      g_assert_cmpuint (details->entries->len, ==, cases[i].n_entries);
      g_assert_null (strstr (error->message, "<"));
      g_assert_null (strstr (error->message, "[Support ID"));
    }

  /* The raw texts are kept as they came. */
  {
    CbIntacctResult *result = cb_intacct_response_find_result (response, "r-duplicate");
    const CbIntacctErrorEntry *first = g_ptr_array_index (result->errors, 0);
    const CbIntacctErrorEntry *second = g_ptr_array_index (result->errors, 1);

    g_assert_cmpstr (first->errorno, ==, "BL34000061");
    g_assert_cmpstr (first->description, ==, "");
    g_assert_cmpstr (first->description2, ==, "Another Vendor with the given value(s) V-0042  already exists");
    g_assert_cmpstr (first->correction, ==, "Use a unique value instead.");
    g_assert_null (first->support_id);
    g_assert_cmpstr (second->errorno, ==, "BL01001973");
  }
  {
    CbIntacctResult *result = cb_intacct_response_find_result (response, "r-markup");
    const CbIntacctErrorEntry *entry = g_ptr_array_index (result->errors, 0);
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (entry->description2, ==, "Field <b>VENDORID</b> can&#039;t be empty");
    cb_intacct_result_check (result, &error);
    g_assert_cmpstr (error->message, ==, "Intacct reported an error: Field VENDORID can't be empty. Enter a value.");
  }
  {
    CbIntacctResult *result = cb_intacct_response_find_result (response, "r-other");
    g_autoptr(GError) error = NULL;

    cb_intacct_result_check (result, &error);
    g_assert_cmpstr (cb_intacct_error_get_support_id (error), ==, "Qx7~mN2@p");
    g_assert_cmpstr (error->message, ==,
                     "Intacct reported an error: There was an error processing the request. "
                     "(Support ID: Qx7~mN2@p)");
  }
  {
    /* A result undone by the transaction names the cause, not the rollback notice. */
    CbIntacctResult *result = cb_intacct_response_find_result (response, "r-own-plus-rollback");
    g_autoptr(GError) error = NULL;

    cb_intacct_result_check (result, &error);
    g_assert_nonnull (strstr (error->message, "COSTTYPE"));
  }
}

static void
test_classify_direct (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_error_entry_free);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();

  g_assert_cmpint (cb_intacct_classify_errors (CB_INTACCT_LEVEL_RESULT, empty, FALSE), ==,
                   CB_INTACCT_ERROR_OTHER);
  g_assert_cmpint (cb_intacct_classify_errors (CB_INTACCT_LEVEL_CONTROL, NULL, FALSE), ==,
                   CB_INTACCT_ERROR_OTHER);

  /* errorno is compared without regard to case. */
  g_ptr_array_add (entries, cb_intacct_error_entry_new ("bl34000061", NULL, NULL, NULL));
  g_assert_cmpint (cb_intacct_classify_errors (CB_INTACCT_LEVEL_RESULT, entries, FALSE), ==,
                   CB_INTACCT_ERROR_DUPLICATE);
  g_ptr_array_set_size (entries, 0);

  /* The first specific entry decides; a generic one before it does not. */
  g_ptr_array_add (entries, cb_intacct_error_entry_new ("BL01001973", NULL, "Could not create record!", NULL));
  g_ptr_array_add (entries, cb_intacct_error_entry_new ("XL03000009", NULL, "rolled back", NULL));
  g_ptr_array_add (entries, cb_intacct_error_entry_new ("X", NULL, "PROJECT 9 does not exist", NULL));
  g_assert_cmpint (cb_intacct_classify_errors (CB_INTACCT_LEVEL_RESULT, entries, FALSE), ==,
                   CB_INTACCT_ERROR_NOT_FOUND);

  /* At authentication level with a session, whatever the entries say. */
  g_assert_cmpint (cb_intacct_classify_errors (CB_INTACCT_LEVEL_AUTHENTICATION, entries, TRUE), ==,
                   CB_INTACCT_ERROR_SESSION_INVALID);
}

/* Structure */

static void
test_structure_errors (void)
{
  const char *files[] = {
    "missing-authentication.xml",
    "missing-companyid.xml",
    "missing-auth-status.xml",
    "result-missing-controlid.xml",
    "result-missing-function.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(CbIntacctResponse) response = parse_file (files[i]);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", files[i]);
      g_assert_false (cb_intacct_response_check (response, FALSE, &error));
      g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_MALFORMED_REPLY);
    }
}

static void
test_malformed (void)
{
  const char *truncated_source = "read-apbill-lines.xml";
  g_autofree char *full = NULL;
  gsize length = 0;

  assert_parse_file_fails ("not-xml.txt", NULL);
  assert_parse_file_fails ("plain-text.txt", "Service Unavailable The server");
  assert_parse_file_fails ("wrong-root.xml", "request");
  assert_parse_file_fails ("no-control.xml", "control");
  assert_parse_fails ("", 0, NULL);
  assert_parse_fails (NULL, 0, NULL);
  assert_parse_fails ("   \n", 4, NULL);
  assert_parse_fails ("<response><control><status>success</status></control>", 52, NULL);

  /* A body cut off anywhere is refused, never half-read. */
  full = load_reply (truncated_source, &length);
  for (gsize cut = 1; cut < length - 12; cut += length / 17)
    assert_parse_fails (full, cut, NULL);
  /* Binary garbage. */
  assert_parse_fails ("\x00\xff\xfe<\x01", 5, NULL);
}

static void
test_not_xml_excerpt (void)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbIntacctResponse) response = NULL;
  gsize length = 0;
  g_autofree char *big = NULL;

  data = load_reply ("plain-text.txt", &length);
  response = cb_intacct_response_parse (data, length, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_MALFORMED_REPLY);
  g_assert_nonnull (strstr (error->message, "Service Unavailable The server is temporarily"));
  g_clear_error (&error);

  /* Only a short excerpt of a long body. */
  big = g_strnfill (100000, 'x');
  response = cb_intacct_response_parse (big, 100000, &error);
  g_assert_null (response);
  g_assert_error (error, CB_INTACCT_ERROR, CB_INTACCT_ERROR_MALFORMED_REPLY);
  g_assert_cmpuint (strlen (error->message), <, 300);
}

static void
test_entities_refused (void)
{
  const char *files[] = { "billion-laughs.xml", "external-entity.xml", "parameter-entity.xml" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_test_message ("%s", files[i]);
      assert_parse_file_fails (files[i], "entities");
    }
}

static void
test_doctype_without_entities (void)
{
  g_autoptr(CbIntacctResponse) response = parse_file ("doctype-without-entities.xml");

  g_assert_cmpstr (response->control_status, ==, "success");
  g_assert_cmpstr (response->sender_id, ==, "costbridge-sender");
}

static void
test_huge_reply (void)
{
  GString *xml = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><response><control>"
                               "<status>success</status></control><operation><authentication>"
                               "<status>success</status><userid>u</userid><companyid>c</companyid>"
                               "</authentication><result><status>success</status><function>readByQuery"
                               "</function><controlid>f</controlid><data count=\"20000\">");
  g_autoptr(CbIntacctResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  CbIntacctResult *result;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (xml, "<vendor><RECORDNO>%u</RECORDNO><NAME>Vendor number %u</NAME></vendor>", i, i);
  g_string_append (xml, "</data></result></operation></response>");

  response = cb_intacct_response_parse (xml->str, xml->len, &error);
  g_assert_no_error (error);
  result = cb_intacct_response_find_result (response, "f");
  g_assert_cmpuint (result->records->len, ==, 20000);
  g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (result->records, 19999), "RECORDNO"),
                   ==, "19999");
  g_string_free (xml, TRUE);
}

/* Dates */

static void
test_parse_datetime (void)
{
  struct {
    const char *text;
    const char *utc;  /* NULL: refused */
  } cases[] = {
    { "2015-12-06T15:57:08-08:00", "2015-12-06T23:57:08Z" },
    { "2026-03-02T08:15:00+01:00", "2026-03-02T07:15:00Z" },
    { "2026-03-02T08:15:00Z", "2026-03-02T08:15:00Z" },
    { "07/24/2017 15:19:46", "2017-07-24T15:19:46Z" },
    { "07/24/2017", "2017-07-24T00:00:00Z" },
    { "02/29/2024", "2024-02-29T00:00:00Z" },
    { "02/30/2024", NULL },
    { "13/01/2017", NULL },
    { "07/24/2017 25:00:00", NULL },
    { "7/24/2017", NULL },
    { "07/24/2017 15:19", NULL },
    { "07/24/2017x", NULL },
    { "2017-07-24 15:19:46", NULL },
    { "yesterday", NULL },
    { "", NULL },
  };

  g_assert_null (cb_intacct_parse_datetime (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) dt = cb_intacct_parse_datetime (cases[i].text);

      g_test_message ("“%s”", cases[i].text);
      if (cases[i].utc == NULL)
        {
          g_assert_null (dt);
        }
      else
        {
          g_autoptr(GDateTime) utc = NULL;
          g_autofree char *text = NULL;

          g_assert_nonnull (dt);
          utc = g_date_time_to_utc (dt);
          text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
          g_assert_cmpstr (text, ==, cases[i].utc);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/intacct/response/records", test_records);
  g_test_add_func ("/intacct/response/records-outlive-response", test_records_outlive_response);
  g_test_add_func ("/intacct/response/control-and-auth-errors", test_control_and_auth_errors);
  g_test_add_func ("/intacct/response/messages", test_messages);
  g_test_add_func ("/intacct/response/result-errors", test_result_errors);
  g_test_add_func ("/intacct/response/classify", test_classify_direct);
  g_test_add_func ("/intacct/response/structure-errors", test_structure_errors);
  g_test_add_func ("/intacct/response/malformed", test_malformed);
  g_test_add_func ("/intacct/response/not-xml-excerpt", test_not_xml_excerpt);
  g_test_add_func ("/intacct/response/entities-refused", test_entities_refused);
  g_test_add_func ("/intacct/response/doctype-without-entities", test_doctype_without_entities);
  g_test_add_func ("/intacct/response/huge-reply", test_huge_reply);
  g_test_add_func ("/intacct/response/parse-datetime", test_parse_datetime);

  return g_test_run ();
}
