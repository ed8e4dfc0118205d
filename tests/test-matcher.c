/* test-matcher.c: the matcher on tricky real-world cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-matcher"

#include "config.h"

#include <string.h>

#include "cb-matcher.h"

#define ITEM(c, n) { (c), (n), NULL, NULL }
#define VENDOR(c, n, t, e) { (c), (n), (t), (e) }

static const CbMatchThresholds defaults = CB_MATCH_THRESHOLDS_DEFAULT;

static void
assert_normalized (CbMatchKind  kind,
                   const char  *text,
                   const char  *expected)
{
  g_autofree char *got = cb_match_normalize (kind, text);

  g_assert_cmpstr (got, ==, expected);
}

static void
match (CbMatcher         *matcher,
       const CbMatchItem *left,
       CbMatchResult     *result)
{
  cb_matcher_match (matcher, left, &defaults, result);
  g_test_message ("-> candidate %d score %u zone %d ambiguous %d reason %s", result->candidate,
                  result->score, result->zone, result->ambiguous, result->reason);
}

static void
test_normalize_names (void)
{
  /* Legal forms, punctuation, spacing and case. */
  assert_normalized (CB_MATCH_VENDORS, "ACME CONCRETE, INC.", "acme concrete");
  assert_normalized (CB_MATCH_VENDORS, "Acme Concrete Incorporated", "acme concrete");
  assert_normalized (CB_MATCH_VENDORS, "  Acme   Concrete L.L.C. ", "acme concrete");
  assert_normalized (CB_MATCH_VENDORS, "Acme Concrete, LLC", "acme concrete");
  assert_normalized (CB_MATCH_VENDORS, "The Acme Concrete Co.", "acme concrete");
  assert_normalized (CB_MATCH_VENDORS, "Acme Concrete Company", "acme concrete");
  assert_normalized (CB_MATCH_VENDORS, "Acme Concrete Corp", "acme concrete");
  assert_normalized (CB_MATCH_VENDORS, "Acme Concrete Corporation", "acme concrete");
  assert_normalized (CB_MATCH_VENDORS, "Acme Concrete Ltd", "acme concrete");
  /* "&" is "and"; a dangling "and" goes with the legal form. */
  assert_normalized (CB_MATCH_VENDORS, "Smith & Jones", "smith and jones");
  assert_normalized (CB_MATCH_VENDORS, "Smith and Jones", "smith and jones");
  assert_normalized (CB_MATCH_VENDORS, "Smith & Co.", "smith");
  /* Abbreviations. */
  assert_normalized (CB_MATCH_VENDORS, "Miller Bros. Const.", "miller brothers construction");
  assert_normalized (CB_MATCH_VENDORS, "Miller Brothers Construction",
                     "miller brothers construction");
  assert_normalized (CB_MATCH_VENDORS, "Valley Elec Svc", "valley electric services");
  assert_normalized (CB_MATCH_VENDORS, "Valley Electrical Services", "valley electric services");
  assert_normalized (CB_MATCH_VENDORS, "Tri-County Mech", "tri county mechanical");
  /* Apostrophes join; single letters join. */
  assert_normalized (CB_MATCH_VENDORS, "O'Brien’s Plumbing", "obriens plumbing");
  assert_normalized (CB_MATCH_VENDORS, "A.B.C. Supply", "abc supply");
  assert_normalized (CB_MATCH_VENDORS, "A B C Supplies", "abc supply");
  /* Accents, ligatures, other scripts. */
  assert_normalized (CB_MATCH_VENDORS, "Société Générale d'Électricité", "societe generale delectricite");
  assert_normalized (CB_MATCH_VENDORS, "Müller Straßenbau GmbH", "muller strassenbau");
  assert_normalized (CB_MATCH_VENDORS, "Łódź Ørsted Æther", "lodz orsted aether");
  assert_normalized (CB_MATCH_VENDORS, "Ｆｕｌｌｗｉｄｔｈ　Ｔｉｌｅ", "fullwidth tile");
  assert_normalized (CB_MATCH_VENDORS, "東京 建設", "東京 建設");
  /* Only legal forms: kept rather than matched on nothing. */
  assert_normalized (CB_MATCH_VENDORS, "The Company", "the company");
  /* Legal forms are a vendor thing: for cost codes "Co" stays. */
  assert_normalized (CB_MATCH_COST_CODES, "Cast-in-Place Concrete", "cast in place concrete");
  assert_normalized (CB_MATCH_COST_CODES, "Gen. Conds.", "general conditions");
  assert_normalized (CB_MATCH_COST_TYPES, "Sub", "subcontract");
  assert_normalized (CB_MATCH_COST_TYPES, "Labour", "labor");
  assert_normalized (CB_MATCH_COST_TYPES, "Mat'l", "material");
  /* Edge cases. */
  assert_normalized (CB_MATCH_VENDORS, NULL, NULL);
  assert_normalized (CB_MATCH_VENDORS, "", "");
  assert_normalized (CB_MATCH_VENDORS, " -- ", "");
  assert_normalized (CB_MATCH_VENDORS, "Bad \xff UTF-8", "bad utf 8");
}

static void
test_normalize_codes (void)
{
  const char *same[] = { "03 30 00", "03-3000", "033000", "03.30.00", "03_30_00", "03–30–00" };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *code = cb_match_normalize_code (same[i]);

      g_assert_cmpstr (code, ==, "033000");
    }
  {
    g_autofree char *a = cb_match_normalize_code ("Job-1042a");
    g_autofree char *b = cb_match_normalize_code ("JOB 1042A");
    g_autofree char *none = cb_match_normalize_code (NULL);

    g_assert_cmpstr (a, ==, b);
    g_assert_null (none);
  }
}

static void
test_exact_and_loose_code (void)
{
  const CbMatchItem right[] = {
    ITEM ("03-300", "Cast-in-Place Concrete"),
    ITEM ("03-310", "Concrete Forming"),
    ITEM ("05-100", "Structural Steel"),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_COST_CODES, right, 3);
  CbMatchResult result;

  /* Same code, same name. */
  match (matcher, &(CbMatchItem) ITEM ("03-300", "Cast in place concrete"), &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpuint (result.score, ==, 100);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_cmpstr (result.reason, ==, "same code, same name");
  cb_match_result_clear (&result);

  /* Code written differently, name shortened: still the same code. */
  match (matcher, &(CbMatchItem) ITEM ("03 300", "Concrete"), &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_true (g_str_has_prefix (result.reason, "same code, name "));
  g_assert_false (result.ambiguous);
  cb_match_result_clear (&result);

  /* Same code, no name on the left. */
  match (matcher, &(CbMatchItem) ITEM ("05100", NULL), &result);
  g_assert_cmpint (result.candidate, ==, 2);
  g_assert_cmpuint (result.score, ==, 95);
  g_assert_cmpstr (result.reason, ==, "same code");
  cb_match_result_clear (&result);

  /* Same code but an unrelated name: only a suggestion. */
  match (matcher, &(CbMatchItem) ITEM ("05-100", "Landscaping"), &result);
  g_assert_cmpint (result.candidate, ==, 2);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpstr (result.reason, ==, "same code, name differs");
  cb_match_result_clear (&result);
}

static void
test_renamed_code (void)
{
  const CbMatchItem right[] = {
    ITEM ("CONC-300", "Cast-in-Place Concrete"),
    ITEM ("CONC-310", "Concrete Forming"),
    ITEM ("STL-100", "Structural Steel"),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_COST_CODES, right, 3);
  CbMatchResult result;

  /* The code was renumbered in Intacct: the name finds it, a person confirms. */
  match (matcher, &(CbMatchItem) ITEM ("03-300", "Cast-In-Place Concrete"), &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpuint (result.score, ==, 75);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpstr (result.reason, ==, "same name, different code");
  cb_match_result_clear (&result);

  /* No code on the left: the name alone is enough. */
  match (matcher, &(CbMatchItem) ITEM (NULL, "structural steel"), &result);
  g_assert_cmpint (result.candidate, ==, 2);
  g_assert_cmpuint (result.score, ==, 100);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_cmpstr (result.reason, ==, "same name");
  cb_match_result_clear (&result);
}

static void
test_vendor_abbreviations (void)
{
  const CbMatchItem right[] = {
    VENDOR ("V0001", "ACME CONCRETE, INC.", NULL, NULL),
    VENDOR ("V0002", "Miller Brothers Construction LLC", NULL, NULL),
    VENDOR ("V0003", "Valley Electrical Services", NULL, NULL),
    VENDOR ("V0004", "Summit Roofing", NULL, NULL),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_VENDORS, right, G_N_ELEMENTS (right));
  CbMatchResult result;

  /* Vendor codes differ between systems: no penalty for vendors. */
  match (matcher, &(CbMatchItem) VENDOR ("ACME01", "Acme Concrete Incorporated", NULL, NULL),
         &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_cmpstr (result.reason, ==, "same name");
  cb_match_result_clear (&result);

  match (matcher, &(CbMatchItem) VENDOR ("MIL", "Miller Bros. Const.", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, 1);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  cb_match_result_clear (&result);

  match (matcher, &(CbMatchItem) VENDOR (NULL, "Valley Elec. Svc.", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, 2);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  cb_match_result_clear (&result);

  /* Part of the name: suggested with its percentage, never automatic. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Summit Roofing & Sheet Metal", NULL, NULL),
         &result);
  g_assert_cmpint (result.candidate, ==, 3);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_true (g_str_has_prefix (result.reason, "name "));
  g_assert_true (g_str_has_suffix (result.reason, "% alike"));
  cb_match_result_clear (&result);

  /* Nothing in common: nothing. */
  match (matcher, &(CbMatchItem) VENDOR ("X", "Zephyr Landscaping", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, -1);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_NONE);
  g_assert_null (result.reason);
  cb_match_result_clear (&result);
}

static void
test_vendor_tax_id (void)
{
  const CbMatchItem right[] = {
    VENDOR ("V1", "Northwind Drywall", "12-3456789", NULL),
    VENDOR ("V2", "Coastal Paving", "98-7654321", NULL),
    VENDOR ("V3", "Granite State Masonry", "000000000", NULL),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_VENDORS, right, G_N_ELEMENTS (right));
  CbMatchResult result;

  /* Tax ID written differently, name alike. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Northwind Drywall Inc", "123456789", NULL),
         &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpuint (result.score, ==, 100);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_cmpstr (result.reason, ==, "same tax ID, same name");
  cb_match_result_clear (&result);

  /* Renamed vendor, same tax ID: found, but a person confirms. */
  match (matcher, &(CbMatchItem) VENDOR ("NEW", "Seaboard Asphalt Group", "98 7654321", NULL),
         &result);
  g_assert_cmpint (result.candidate, ==, 1);
  g_assert_cmpuint (result.score, ==, 90);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpstr (result.reason, ==, "same tax ID, name differs");
  cb_match_result_clear (&result);

  /* Same name, a different tax ID: never automatic. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Northwind Drywall", "55-5555551", NULL), &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpuint (result.score, ==, 70);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpstr (result.reason, ==, "same name, different tax ID");
  cb_match_result_clear (&result);

  /* Placeholder tax IDs (all zeros) are no evidence either way. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Granite State Masonry", "000-00-0000", NULL),
         &result);
  g_assert_cmpint (result.candidate, ==, 2);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_cmpstr (result.reason, ==, "same name");
  cb_match_result_clear (&result);

  /* A missing tax ID on one side is no conflict. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Coastal Paving", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, 1);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  cb_match_result_clear (&result);
}

static void
test_vendor_email (void)
{
  const CbMatchItem right[] = {
    VENDOR ("V1", "Redline Fire Protection", NULL, "AP@RedlineFire.com"),
    VENDOR ("V2", "Joe Turner Trucking", NULL, "joeturner1961@gmail.com"),
    VENDOR ("V3", "Bayside Glass", NULL, "billing@baysideglass.com"),
    VENDOR ("V4", "Turner Hauling", NULL, "dispatch@gmail.com"),
    VENDOR ("V5", "Bayside Glazing", NULL, NULL),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_VENDORS, right, G_N_ELEMENTS (right));
  CbMatchResult result;

  /* The same address (case ignored), another name: a suggestion. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "RFP Services", NULL, " ap@redlinefire.com "),
         &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpuint (result.score, ==, 80);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpstr (result.reason, ==, "same e-mail, name differs");
  cb_match_result_clear (&result);

  /* Same gmail address: still the same address. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, NULL, NULL, "JoeTurner1961@gmail.com"), &result);
  g_assert_cmpint (result.candidate, ==, 1);
  g_assert_cmpstr (result.reason, ==, "same e-mail");
  cb_match_result_clear (&result);

  /* Same company domain, another mailbox: a small push, the name decides. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Bayside Glass & Mirror", NULL,
                                         "orders@baysideglass.com"), &result);
  g_assert_cmpint (result.candidate, ==, 2);
  g_assert_true (strstr (result.reason, "same e-mail domain") != NULL);
  {
    CbMatchResult without;

    match (matcher, &(CbMatchItem) VENDOR (NULL, "Bayside Glass & Mirror", NULL, NULL),
           &without);
    g_assert_cmpint (without.candidate, ==, 2);
    g_assert_cmpuint (result.score, ==, without.score + 5);
    cb_match_result_clear (&without);
  }
  cb_match_result_clear (&result);

  /* A gmail.com domain alone is no evidence at all. */
  {
    g_autoptr(GArray) ranked = cb_matcher_rank (matcher, &(CbMatchItem) VENDOR (
                                                  NULL, "Zenith Hauling", NULL,
                                                  "someone@gmail.com"), 10);

    g_assert_cmpuint (ranked->len, ==, 1);   /* "hauling" finds V4, by name only */
    g_assert_cmpint (g_array_index (ranked, CbMatchResult, 0).candidate, ==, 3);
    g_assert_null (strstr (g_array_index (ranked, CbMatchResult, 0).reason, "domain"));
  }

  /* The name points at one vendor, the e-mail at another: a person decides. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Bayside Glazing", NULL, "ap@redlinefire.com"),
         &result);
  g_assert_cmpint (result.candidate, ==, 4);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpstr (result.reason, ==, "same name, another candidate has the same e-mail");
  cb_match_result_clear (&result);

  /* A domain alone can never make a match automatic. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Bayside Glazing", NULL,
                                         "x@baysideglass.com"), &result);
  g_assert_cmpint (result.candidate, ==, 4);   /* the same name beats the same domain */
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  cb_match_result_clear (&result);
}

static void
test_rare_words_count_more (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) right = g_array_new (FALSE, TRUE, sizeof (CbMatchItem));
  const char *places[] = { "Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Gum", "Hazel",
                           "Ivy", "Juniper", "Larch", "Maple", "Oak", "Pine", "Rowan", "Spruce" };
  g_autoptr(CbMatcher) matcher = NULL;
  g_autoptr(GArray) ranked = NULL;
  CbMatchResult result;

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      char *name = g_strdup_printf ("%s Construction Services", places[i]);

      g_ptr_array_add (names, name);
      g_array_append_val (right, ((CbMatchItem) ITEM (NULL, name)));
    }
  g_array_append_val (right, ((CbMatchItem) ITEM (NULL, "Kelbrook Builders")));
  matcher = cb_matcher_new (CB_MATCH_VENDORS, (CbMatchItem *) (gpointer) right->data, right->len);

  /* Two common words shared with many, one rare word shared with one: the rare one wins. */
  ranked = cb_matcher_rank (matcher, &(CbMatchItem) ITEM (NULL, "Kelbrook Construction Services"),
                            3);
  g_assert_cmpuint (ranked->len, ==, 3);
  g_assert_cmpint (g_array_index (ranked, CbMatchResult, 0).candidate, ==, (int) right->len - 1);
  g_assert_false (g_array_index (ranked, CbMatchResult, 0).ambiguous);
  g_assert_cmpuint (g_array_index (ranked, CbMatchResult, 0).score, >,
                    g_array_index (ranked, CbMatchResult, 1).score);
  /* A name alone, not identical, is never AUTO at the default thresholds. */
  match (matcher, &(CbMatchItem) ITEM (NULL, "Kelbrook Builders Group"), &result);
  g_assert_cmpint (result.candidate, ==, (int) right->len - 1);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  cb_match_result_clear (&result);
}

static void
test_equal_candidates (void)
{
  const CbMatchItem right[] = {
    VENDOR ("V10", "Precision Plumbing", NULL, NULL),
    VENDOR ("V11", "Precision Plumbing Inc.", NULL, NULL),
    VENDOR ("V12", "Precision Drywall", NULL, NULL),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_VENDORS, right, G_N_ELEMENTS (right));
  g_autoptr(GArray) ranked = NULL;
  CbMatchResult result;

  /* Two Intacct vendors normalise to the same name: ambiguous, never AUTO. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "PRECISION PLUMBING LLC", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpuint (result.score, ==, 100);
  g_assert_true (result.ambiguous);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpstr (result.reason, ==, "same name, another candidate scores the same");
  cb_match_result_clear (&result);

  /* The picker shows both first, marked, then the weaker one. */
  ranked = cb_matcher_rank (matcher, &(CbMatchItem) VENDOR (NULL, "Precision Plumbing", NULL,
                                                            NULL), 10);
  g_assert_cmpuint (ranked->len, ==, 3);
  g_assert_cmpint (g_array_index (ranked, CbMatchResult, 0).candidate, ==, 0);
  g_assert_cmpint (g_array_index (ranked, CbMatchResult, 1).candidate, ==, 1);
  g_assert_true (g_array_index (ranked, CbMatchResult, 0).ambiguous);
  g_assert_true (g_array_index (ranked, CbMatchResult, 1).ambiguous);
  g_assert_cmpint (g_array_index (ranked, CbMatchResult, 2).candidate, ==, 2);
  g_assert_false (g_array_index (ranked, CbMatchResult, 2).ambiguous);
  g_assert_cmpuint (g_array_index (ranked, CbMatchResult, 2).score, <,
                    g_array_index (ranked, CbMatchResult, 1).score);
  g_clear_pointer (&ranked, g_array_unref);

  /* A tax ID breaks the tie. */
  {
    const CbMatchItem right2[] = {
      VENDOR ("V10", "Precision Plumbing", "11-1111112", NULL),
      VENDOR ("V11", "Precision Plumbing Inc.", "22-2222223", NULL),
    };
    g_autoptr(CbMatcher) matcher2 = cb_matcher_new (CB_MATCH_VENDORS, right2, 2);

    match (matcher2, &(CbMatchItem) VENDOR (NULL, "Precision Plumbing", "222222223", NULL),
           &result);
    g_assert_cmpint (result.candidate, ==, 1);
    g_assert_false (result.ambiguous);
    g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
    cb_match_result_clear (&result);
  }

  /* max limits the list. */
  ranked = cb_matcher_rank (matcher, &(CbMatchItem) VENDOR (NULL, "Precision", NULL, NULL), 2);
  g_assert_cmpuint (ranked->len, ==, 2);
}

static void
test_duplicates_on_left (void)
{
  const CbMatchItem right[] = {
    VENDOR ("V1", "Harbor Steel Erectors", NULL, NULL),
    VENDOR ("V2", "Lakeside Lumber", NULL, NULL),
  };
  /* The job system holds Harbor Steel twice (once with a typo in the suffix), and Lakeside
   * twice, identically. */
  const CbMatchItem left[] = {
    VENDOR ("H1", "Harbor Steel Erectors Inc", NULL, NULL),
    VENDOR ("H2", "Harbor Steel Erectors Incorp", NULL, NULL),
    VENDOR ("L1", "Lakeside Lumber", NULL, NULL),
    VENDOR ("L2", "LAKESIDE LUMBER CO", NULL, NULL),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_VENDORS, right, G_N_ELEMENTS (right));
  g_autoptr(GArray) results = cb_matcher_match_all (matcher, left, G_N_ELEMENTS (left),
                                                    &defaults);
  CbMatchResult *r = (CbMatchResult *) (gpointer) results->data;

  g_assert_cmpuint (results->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_test_message ("%u -> %d %u %d %s", i, r[i].candidate, r[i].score, r[i].zone, r[i].reason);

  /* The better one is AUTO; the other still suggests the same record, and says why. */
  g_assert_cmpint (r[0].candidate, ==, 0);
  g_assert_cmpint (r[0].zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_cmpint (r[1].candidate, ==, 0);
  g_assert_cmpuint (r[1].score, <, r[0].score);
  g_assert_cmpint (r[1].zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_true (g_str_has_suffix (r[1].reason, ", another record matches it better"));

  /* Equal: neither is AUTO. */
  g_assert_cmpint (r[2].candidate, ==, 1);
  g_assert_cmpint (r[3].candidate, ==, 1);
  g_assert_cmpuint (r[2].score, ==, 100);
  g_assert_cmpuint (r[3].score, ==, 100);
  g_assert_cmpint (r[2].zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpint (r[3].zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpstr (r[2].reason, ==, "same name, another record matches it equally");

  /* With AUTO from 80, the weaker one would be AUTO on its own: it is demoted. */
  {
    g_autoptr(GArray) lenient = cb_matcher_match_all (matcher, left, G_N_ELEMENTS (left),
                                                      &(CbMatchThresholds) { 80, 60 });
    CbMatchResult *l = (CbMatchResult *) (gpointer) lenient->data;

    g_assert_cmpuint (l[1].score, >=, 80);
    g_assert_cmpint (l[0].zone, ==, CB_MATCH_ZONE_AUTO);
    g_assert_cmpint (l[1].zone, ==, CB_MATCH_ZONE_SUGGEST);
    g_assert_cmpint (l[1].candidate, ==, 0);
  }

  /* One at a time, each would have been AUTO: the rule belongs to match_all. */
  {
    CbMatchResult single;

    match (matcher, &left[3], &single);
    g_assert_cmpint (single.zone, ==, CB_MATCH_ZONE_AUTO);
    cb_match_result_clear (&single);
  }
}

static void
test_empty_fields (void)
{
  const CbMatchItem right[] = {
    VENDOR (NULL, NULL, NULL, NULL),
    VENDOR ("", "", "", ""),
    VENDOR ("V3", "Delta Demolition", "not a number", "not an address"),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_VENDORS, right, G_N_ELEMENTS (right));
  g_autoptr(CbMatcher) empty = cb_matcher_new (CB_MATCH_VENDORS, NULL, 0);
  g_autoptr(GArray) results = NULL;
  g_autoptr(GArray) ranked = NULL;
  CbMatchResult result;

  /* Nothing on the left: no candidate, no crash; empty strings are no evidence. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, NULL, NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, -1);
  g_assert_cmpuint (result.score, ==, 0);
  cb_match_result_clear (&result);
  match (matcher, &(CbMatchItem) VENDOR ("", "", "", ""), &result);
  g_assert_cmpint (result.candidate, ==, -1);
  cb_match_result_clear (&result);
  match (matcher, &(CbMatchItem) VENDOR ("--", "&", "n/a", "@"), &result);
  g_assert_cmpint (result.candidate, ==, -1);
  cb_match_result_clear (&result);

  /* Junk tax ID and e-mail are ignored, the name still matches. */
  match (matcher, &(CbMatchItem) VENDOR (NULL, "Delta Demolition", "also junk", "nope"), &result);
  g_assert_cmpint (result.candidate, ==, 2);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  cb_match_result_clear (&result);

  /* An empty right side. */
  match (empty, &(CbMatchItem) VENDOR ("V3", "Delta Demolition", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, -1);
  g_assert_null (result.reason);
  cb_match_result_clear (&result);
  results = cb_matcher_match_all (empty, NULL, 0, NULL);
  g_assert_cmpuint (results->len, ==, 0);
  ranked = cb_matcher_rank (empty, &(CbMatchItem) VENDOR (NULL, "x", NULL, NULL), 5);
  g_assert_cmpuint (ranked->len, ==, 0);

  /* Clearing twice is safe. */
  cb_match_result_clear (&result);
  cb_match_result_clear (NULL);
}

static void
test_non_ascii (void)
{
  const CbMatchItem right[] = {
    VENDOR ("V1", "Societe Generale d'Electricite", NULL, NULL),
    VENDOR ("V2", "Muller Strassenbau", NULL, NULL),
    VENDOR ("V3", "東京 建設", NULL, NULL),
    VENDOR ("V4", "Peña Concrete", NULL, NULL),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_VENDORS, right, G_N_ELEMENTS (right));
  CbMatchResult result;

  match (matcher, &(CbMatchItem) VENDOR (NULL, "SOCIÉTÉ GÉNÉRALE D’ÉLECTRICITÉ S.A.", NULL, NULL),
         &result);
  g_assert_cmpint (result.candidate, ==, 0);
  g_assert_cmpint (result.zone, !=, CB_MATCH_ZONE_NONE);
  cb_match_result_clear (&result);

  match (matcher, &(CbMatchItem) VENDOR (NULL, "Müller Straßenbau GmbH", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, 1);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  cb_match_result_clear (&result);

  match (matcher, &(CbMatchItem) VENDOR (NULL, "東京　建設", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, 2);
  cb_match_result_clear (&result);

  match (matcher, &(CbMatchItem) VENDOR (NULL, "PENA CONCRETE", NULL, NULL), &result);
  g_assert_cmpint (result.candidate, ==, 3);
  g_assert_cmpint (result.zone, ==, CB_MATCH_ZONE_AUTO);
  cb_match_result_clear (&result);
}

static void
test_thresholds (void)
{
  const CbMatchItem right[] = {
    ITEM ("P-100", "Riverside Medical Center"),
    ITEM ("P-200", "Oak Street Apartments"),
  };
  const CbMatchItem left[] = {
    ITEM (NULL, "Riverside Medical Centre Phase 2"),    /* name alike, no code */
    ITEM ("P200", "Oak St Apartments"),                  /* same code, name alike */
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_PROJECTS, right, 2);
  CbMatchResult a, b;
  guint score;

  cb_matcher_match (matcher, &left[0], &defaults, &a);
  g_test_message ("%u %s", a.score, a.reason);
  g_assert_cmpint (a.candidate, ==, 0);
  g_assert_cmpint (a.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_true (g_str_has_prefix (a.reason, "name "));
  g_assert_true (g_str_has_suffix (a.reason, "% alike"));
  score = a.score;
  cb_match_result_clear (&a);

  /* The same score moves between zones exactly at the thresholds. */
  cb_matcher_match (matcher, &left[0], &(CbMatchThresholds) { score + 1, score + 1 }, &a);
  g_assert_cmpint (a.zone, ==, CB_MATCH_ZONE_NONE);
  g_assert_cmpint (a.candidate, ==, -1);
  g_assert_null (a.reason);
  g_assert_cmpuint (a.score, ==, score);   /* the best score is still told */
  cb_match_result_clear (&a);
  cb_matcher_match (matcher, &left[0], &(CbMatchThresholds) { score + 1, score }, &a);
  g_assert_cmpint (a.zone, ==, CB_MATCH_ZONE_SUGGEST);
  g_assert_cmpint (a.candidate, ==, 0);
  cb_match_result_clear (&a);
  cb_matcher_match (matcher, &left[0], &(CbMatchThresholds) { score, 0 }, &a);
  g_assert_cmpint (a.zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_cmpuint (a.score, ==, score);
  cb_match_result_clear (&a);

  /* Same code, name alike: AUTO by default, only a suggestion when AUTO needs 100,
   * nothing when suggestions need 100 too; NULL means the defaults. */
  cb_matcher_match (matcher, &left[1], NULL, &b);
  g_test_message ("%u %s", b.score, b.reason);
  g_assert_cmpint (b.candidate, ==, 1);
  g_assert_cmpint (b.zone, ==, CB_MATCH_ZONE_AUTO);
  g_assert_cmpuint (b.score, <, 100);
  cb_match_result_clear (&b);
  cb_matcher_match (matcher, &left[1], &(CbMatchThresholds) { 100, 60 }, &b);
  g_assert_cmpint (b.zone, ==, CB_MATCH_ZONE_SUGGEST);
  cb_match_result_clear (&b);
  cb_matcher_match (matcher, &left[1], &(CbMatchThresholds) { 100, 100 }, &b);
  g_assert_cmpint (b.zone, ==, CB_MATCH_ZONE_NONE);
  cb_match_result_clear (&b);
}

static void
test_cost_types (void)
{
  const CbMatchItem right[] = {
    ITEM ("LAB", "Labor"),
    ITEM ("MAT", "Materials"),
    ITEM ("SUB", "Subcontract"),
    ITEM ("EQP", "Equipment"),
    ITEM ("OTH", "Other"),
  };
  const CbMatchItem left[] = {
    ITEM ("L", "Labour"),
    ITEM ("M", "Material"),
    ITEM ("S", "Subcontractors"),
    ITEM ("E", "Equip."),
    ITEM ("O", "OTHER"),
  };
  g_autoptr(CbMatcher) matcher = cb_matcher_new (CB_MATCH_COST_TYPES, right, 5);
  g_autoptr(GArray) results = cb_matcher_match_all (matcher, left, 5, NULL);

  for (guint i = 0; i < 5; i++)
    {
      CbMatchResult *r = &g_array_index (results, CbMatchResult, i);

      g_test_message ("%u -> %d %u %s", i, r->candidate, r->score, r->reason);
      g_assert_cmpint (r->candidate, ==, (int) i);
      g_assert_cmpint (r->zone, !=, CB_MATCH_ZONE_AUTO);   /* the codes all differ */
    }
}

typedef struct
{
  CbMatcher         *matcher;
  const CbMatchItem *left;
  guint              n_left;
} ThreadData;

static gpointer
match_thread (gpointer data)
{
  ThreadData *td = data;

  return cb_matcher_match_all (td->matcher, td->left, td->n_left, NULL);
}

static void
test_threads (void)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) right = g_array_new (FALSE, TRUE, sizeof (CbMatchItem));
  g_autoptr(GArray) left = g_array_new (FALSE, TRUE, sizeof (CbMatchItem));
  g_autoptr(CbMatcher) matcher = NULL;
  g_autoptr(GArray) expected = NULL;
  const char *words[] = { "Apex", "Beacon", "Crest", "Delta", "Echo", "Forge", "Granite",
                          "Harbor", "Iron", "Jade" };
  const char *trades[] = { "Concrete", "Steel", "Roofing", "Electric", "Plumbing" };
  GThread *threads[4];
  ThreadData td;

  for (guint i = 0; i < 500; i++)
    {
      char *name = g_strdup_printf ("%s %s %s %u", words[i % 10], words[(i / 10) % 10],
                                    trades[i % 5], i);
      char *tax = g_strdup_printf ("%02u-%07u", i % 90 + 10, i * 7919 % 10000000);
      char *lname = g_strdup_printf ("%s %s %s %u Inc", words[i % 10], words[(i / 10) % 10],
                                     trades[(i + i / 3) % 5], i);

      g_ptr_array_add (strings, name);
      g_ptr_array_add (strings, tax);
      g_ptr_array_add (strings, lname);
      g_array_append_val (right, ((CbMatchItem) VENDOR (NULL, name, tax, NULL)));
      g_array_append_val (left, ((CbMatchItem) VENDOR (NULL, lname, i % 3 ? tax : NULL, NULL)));
    }
  matcher = cb_matcher_new (CB_MATCH_VENDORS, (CbMatchItem *) (gpointer) right->data, right->len);
  td = (ThreadData) { matcher, (CbMatchItem *) (gpointer) left->data, left->len };
  expected = match_thread (&td);

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("matcher", match_thread, &td);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      g_autoptr(GArray) got = g_thread_join (threads[t]);

      g_assert_cmpuint (got->len, ==, expected->len);
      for (guint i = 0; i < got->len; i++)
        {
          CbMatchResult *x = &g_array_index (got, CbMatchResult, i);
          CbMatchResult *y = &g_array_index (expected, CbMatchResult, i);

          g_assert_cmpint (x->candidate, ==, y->candidate);
          g_assert_cmpuint (x->score, ==, y->score);
          g_assert_cmpint (x->zone, ==, y->zone);
          g_assert_cmpstr (x->reason, ==, y->reason);
        }
    }
  /* And the answers are right: the number in the name makes each pair unique. */
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpint (g_array_index (expected, CbMatchResult, i).candidate, ==, (int) i);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/matcher/normalize/names", test_normalize_names);
  g_test_add_func ("/matcher/normalize/codes", test_normalize_codes);
  g_test_add_func ("/matcher/code/exact-and-loose", test_exact_and_loose_code);
  g_test_add_func ("/matcher/code/renamed", test_renamed_code);
  g_test_add_func ("/matcher/vendor/abbreviations", test_vendor_abbreviations);
  g_test_add_func ("/matcher/vendor/tax-id", test_vendor_tax_id);
  g_test_add_func ("/matcher/vendor/email", test_vendor_email);
  g_test_add_func ("/matcher/name/rare-words", test_rare_words_count_more);
  g_test_add_func ("/matcher/ambiguous/equal-candidates", test_equal_candidates);
  g_test_add_func ("/matcher/ambiguous/duplicates-on-left", test_duplicates_on_left);
  g_test_add_func ("/matcher/empty-fields", test_empty_fields);
  g_test_add_func ("/matcher/non-ascii", test_non_ascii);
  g_test_add_func ("/matcher/thresholds", test_thresholds);
  g_test_add_func ("/matcher/cost-types", test_cost_types);
  g_test_add_func ("/matcher/threads", test_threads);

  return g_test_run ();
}
