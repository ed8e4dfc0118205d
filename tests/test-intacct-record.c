/* test-intacct-record.c: the ordered field tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-intacct-record"

#include "config.h"

#include <string.h>

#include "cb-intacct-record.h"

static CbIntacctRecord *
build_bill (void)
{
  CbIntacctRecord *bill = cb_intacct_record_new ("APBILL");
  CbIntacctRecord *items, *line;

  cb_intacct_record_add_field (bill, "RECORDNO", "42");
  cb_intacct_record_add_field (bill, "VENDORID", "V100");
  cb_intacct_record_add_field (bill, "DESCRIPTION", NULL);
  items = cb_intacct_record_add_child (bill, "APBILLITEMS");
  line = cb_intacct_record_add_child (items, "APBILLITEM");
  cb_intacct_record_add_field (line, "ACCOUNTNO", "5000");
  cb_intacct_record_add_field (line, "TRX_AMOUNT", "10.50");
  line = cb_intacct_record_add_child (items, "APBILLITEM");
  cb_intacct_record_add_field (line, "ACCOUNTNO", "5010");
  cb_intacct_record_add_field (line, "TRX_AMOUNT", "3.25");
  return bill;
}

static void
test_tree (void)
{
  g_autoptr(CbIntacctRecord) bill = build_bill ();
  CbIntacctRecord *items, *child;

  g_assert_cmpstr (cb_intacct_record_get_name (bill), ==, "APBILL");
  g_assert_null (cb_intacct_record_get_value (bill));
  g_assert_cmpuint (cb_intacct_record_get_n_children (bill), ==, 4);

  child = cb_intacct_record_get_nth_child (bill, 0);
  g_assert_cmpstr (cb_intacct_record_get_name (child), ==, "RECORDNO");
  g_assert_cmpstr (cb_intacct_record_get_value (child), ==, "42");
  child = cb_intacct_record_get_nth_child (bill, 1);
  g_assert_cmpstr (cb_intacct_record_get_name (child), ==, "VENDORID");
  g_assert_null (cb_intacct_record_get_nth_child (bill, 4));

  /* An empty field is there, with an empty text. */
  g_assert_true (cb_intacct_record_has_field (bill, "DESCRIPTION"));
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "DESCRIPTION"), ==, "");
  g_assert_null (cb_intacct_record_get_field (bill, "WHENDUE"));
  g_assert_false (cb_intacct_record_has_field (bill, "WHENDUE"));

  /* A group is not a field. */
  items = cb_intacct_record_get_child (bill, "APBILLITEMS");
  g_assert_nonnull (items);
  g_assert_null (cb_intacct_record_get_field (bill, "APBILLITEMS"));
  g_assert_cmpuint (cb_intacct_record_get_n_children (items), ==, 2);

  /* A value set on a leaf replaces the old one. */
  child = cb_intacct_record_get_child (bill, "VENDORID");
  cb_intacct_record_set_value (child, "V200");
  g_assert_cmpstr (cb_intacct_record_get_field (bill, "VENDORID"), ==, "V200");
}

static void
test_case_insensitive (void)
{
  g_autoptr(CbIntacctRecord) vendor = cb_intacct_record_new ("vendor");

  cb_intacct_record_add_field (vendor, "VENDORID", "V1");
  cb_intacct_record_add_field (vendor, "Name", "Acme");

  g_assert_cmpstr (cb_intacct_record_get_field (vendor, "vendorid"), ==, "V1");
  g_assert_cmpstr (cb_intacct_record_get_field (vendor, "VendorId"), ==, "V1");
  g_assert_cmpstr (cb_intacct_record_get_field (vendor, "NAME"), ==, "Acme");
  g_assert_true (cb_intacct_record_get_child (vendor, "name") ==
                 cb_intacct_record_get_nth_child (vendor, 1));

  /* set_field replaces the existing leaf whatever its case, and keeps its name. */
  cb_intacct_record_set_field (vendor, "name", "Acme Inc");
  g_assert_cmpuint (cb_intacct_record_get_n_children (vendor), ==, 2);
  g_assert_cmpstr (cb_intacct_record_get_field (vendor, "NAME"), ==, "Acme Inc");
  g_assert_cmpstr (cb_intacct_record_get_name (cb_intacct_record_get_nth_child (vendor, 1)), ==, "Name");

  /* …and appends when there is none. */
  cb_intacct_record_set_field (vendor, "STATUS", "active");
  g_assert_cmpuint (cb_intacct_record_get_n_children (vendor), ==, 3);
  g_assert_cmpstr (cb_intacct_record_get_name (cb_intacct_record_get_nth_child (vendor, 2)), ==, "STATUS");
}

static void
test_lines (void)
{
  g_autoptr(CbIntacctRecord) bill = build_bill ();
  g_autoptr(GPtrArray) lines = cb_intacct_record_get_lines (bill, "apbillitems");
  g_autoptr(GPtrArray) none = cb_intacct_record_get_lines (bill, "NOSUCHGROUP");

  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (lines, 0), "ACCOUNTNO"), ==, "5000");
  g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (lines, 1), "TRX_AMOUNT"), ==, "3.25");
  g_assert_nonnull (none);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_attributes (void)
{
  g_autoptr(CbIntacctRecord) data = cb_intacct_record_new ("data");
  const char **names;

  g_assert_null (cb_intacct_record_get_attribute (data, "count"));
  names = cb_intacct_record_get_attribute_names (data);
  g_assert_nonnull (names);
  g_assert_null (names[0]);

  cb_intacct_record_set_attribute (data, "listtype", "vendor");
  cb_intacct_record_set_attribute (data, "count", "2");
  cb_intacct_record_set_attribute (data, "resultId", "");
  cb_intacct_record_set_attribute (data, "count", "3");

  names = cb_intacct_record_get_attribute_names (data);
  g_assert_cmpstr (names[0], ==, "listtype");
  g_assert_cmpstr (names[1], ==, "count");
  g_assert_cmpstr (names[2], ==, "resultId");
  g_assert_null (names[3]);
  g_assert_cmpstr (cb_intacct_record_get_attribute (data, "count"), ==, "3");
  g_assert_cmpstr (cb_intacct_record_get_attribute (data, "resultId"), ==, "");

  /* NULL removes. */
  cb_intacct_record_set_attribute (data, "listtype", NULL);
  names = cb_intacct_record_get_attribute_names (data);
  g_assert_cmpstr (names[0], ==, "count");
  g_assert_cmpstr (names[1], ==, "resultId");
  g_assert_null (names[2]);
}

static void
test_copy (void)
{
  g_autoptr(CbIntacctRecord) bill = build_bill ();
  g_autoptr(CbIntacctRecord) copy = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  cb_intacct_record_set_attribute (bill, "key", "42");
  copy = cb_intacct_record_copy (bill);
  before = cb_intacct_record_to_debug_string (bill);
  after = cb_intacct_record_to_debug_string (copy);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (cb_intacct_record_get_attribute (copy, "key"), ==, "42");

  /* A deep copy: changing the copy's lines leaves the original alone. */
  lines = cb_intacct_record_get_lines (copy, "APBILLITEMS");
  cb_intacct_record_set_field (g_ptr_array_index (lines, 0), "TRX_AMOUNT", "99.00");
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = cb_intacct_record_get_lines (bill, "APBILLITEMS");
  g_assert_cmpstr (cb_intacct_record_get_field (g_ptr_array_index (lines, 0), "TRX_AMOUNT"), ==, "10.50");
}

static void
test_ref (void)
{
  CbIntacctRecord *record = cb_intacct_record_new_field ("NAME", "x");
  CbIntacctRecord *parent = cb_intacct_record_new ("VENDOR");

  cb_intacct_record_append (parent, cb_intacct_record_ref (record));
  cb_intacct_record_unref (parent);
  /* Still alive thanks to our own reference. */
  g_assert_cmpstr (cb_intacct_record_get_value (record), ==, "x");
  cb_intacct_record_unref (record);
}

static void
test_hash_table (void)
{
  g_autoptr(CbIntacctRecord) vendor = cb_intacct_record_new ("vendor");
  g_autoptr(GHashTable) table = NULL;
  CbIntacctRecord *contact;

  cb_intacct_record_add_field (vendor, "recordno", "4");
  cb_intacct_record_add_field (vendor, "Name", "Vendor 4");
  cb_intacct_record_add_field (vendor, "EMPTY", NULL);
  contact = cb_intacct_record_add_child (vendor, "DISPLAYCONTACT");
  cb_intacct_record_add_field (contact, "PRINTAS", "Vendor 4 Inc");

  table = cb_intacct_record_to_hash_table (vendor);
  g_assert_cmpuint (g_hash_table_size (table), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (table, "RECORDNO"), ==, "4");
  g_assert_cmpstr (g_hash_table_lookup (table, "NAME"), ==, "Vendor 4");
  g_assert_cmpstr (g_hash_table_lookup (table, "EMPTY"), ==, "");
  g_assert_false (g_hash_table_contains (table, "DISPLAYCONTACT"));
  g_assert_false (g_hash_table_contains (table, "PRINTAS"));
}

static void
test_debug_string (void)
{
  g_autoptr(CbIntacctRecord) vendor = cb_intacct_record_new ("VENDOR");
  g_autofree char *text = NULL;
  CbIntacctRecord *contact;

  cb_intacct_record_add_field (vendor, "VENDORID", "V1");
  cb_intacct_record_add_field (vendor, "TAXID", "12-3456789");
  cb_intacct_record_add_field (vendor, "ACHACCOUNTNUMBER", "1111222233334444");
  cb_intacct_record_add_field (vendor, "password", "hunter2");
  contact = cb_intacct_record_add_child (vendor, "DISPLAYCONTACT");
  cb_intacct_record_add_field (contact, "PRINTAS", "Acme");
  cb_intacct_record_add_field (contact, "SSN", "078-05-1120");

  text = cb_intacct_record_to_debug_string (vendor);
  g_assert_nonnull (strstr (text, "VENDORID=V1\n"));
  g_assert_nonnull (strstr (text, "\n    PRINTAS=Acme\n"));
  g_assert_nonnull (strstr (text, "\n  DISPLAYCONTACT\n"));
  g_assert_nonnull (strstr (text, "TAXID=REDACTED"));
  g_assert_null (strstr (text, "12-3456789"));
  g_assert_null (strstr (text, "1111222233334444"));
  g_assert_null (strstr (text, "hunter2"));
  g_assert_null (strstr (text, "078-05-1120"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/intacct/record/tree", test_tree);
  g_test_add_func ("/intacct/record/case-insensitive", test_case_insensitive);
  g_test_add_func ("/intacct/record/lines", test_lines);
  g_test_add_func ("/intacct/record/attributes", test_attributes);
  g_test_add_func ("/intacct/record/copy", test_copy);
  g_test_add_func ("/intacct/record/ref", test_ref);
  g_test_add_func ("/intacct/record/hash-table", test_hash_table);
  g_test_add_func ("/intacct/record/debug-string", test_debug_string);

  return g_test_run ();
}
