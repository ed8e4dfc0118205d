/* bench-intacct.c: throughput of the Intacct client against the sandbox gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run on demand with `meson test -C build --benchmark bench-intacct` (or the binary
 * directly). Prints figures; asserts nothing about time, because machines are shared.
 *
 *   1. 2,000 AP bills with three lines each (project, task, cost type on every line),
 *      created in batches, at 0 ms and at 50 ms injected latency per request: wall time,
 *      requests, bills/s, requests/s, and the ratio to the floor (requests × latency).
 *   2. Paging 100,000 vendors with readByQuery/readMore and with query/offset: records/s.
 *
 * Environment: CB_BENCH_BILLS (default 2000), CB_BENCH_BATCH (bills per request,
 * default 50), CB_BENCH_VENDORS (default 100000).
 */

#define G_LOG_DOMAIN "cb-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cb-intacct-client.h"
#include "cb-intacct-objects.h"
#include "cb-intacct-pager.h"
#include "cb-sandbox.h"

typedef struct
{
  char *vendor_id;
  char *account_no;
  char *project_id;
  char *task_id;
  char *cost_type_id;
} BillContext;

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);
  guint64 n;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &n, NULL))
    return fallback;
  return (guint) n;
}

static CbIntacctClient *
new_client (CbSandbox *sandbox)
{
  g_autoptr(CbIntacctCredentials) creds = cb_intacct_credentials_new ();
  g_autoptr(GError) error = NULL;
  CbIntacctClient *client;

  creds->endpoint = cb_sandbox_dup_endpoint (sandbox);
  creds->sender_id = g_strdup (CB_SANDBOX_SENDER_ID);
  creds->sender_password = g_strdup (CB_SANDBOX_SENDER_SECRET);
  creds->company_id = g_strdup (CB_SANDBOX_COMPANY_ID);
  creds->user_id = g_strdup (CB_SANDBOX_USER_ID);
  creds->user_password = g_strdup (CB_SANDBOX_USER_SECRET);

  client = cb_intacct_client_new (creds, &error);
  g_assert_no_error (error);
  cb_intacct_client_set_retry_delay (client, 10);
  if (!cb_intacct_client_connect (client, NULL, &error))
    g_error ("Could not connect to the sandbox: %s", error->message);
  return client;
}

/* The first record a query finds, field by field; the sandbox seed decides the values. */
static char *
first_value (CbIntacctClient *client,
             const char      *object,
             const char      *field,
             const char      *query)
{
  g_autoptr(CbIntacctFunction) fn = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  fn = cb_intacct_function_read_by_query (NULL, object, field, query, 1);
  records = cb_intacct_client_call (client, fn, NULL, &error);
  if (records == NULL || records->len == 0)
    g_error ("The sandbox has no %s matching “%s”: %s", object, query,
             error != NULL ? error->message : "no records");
  return g_strdup (cb_intacct_record_get_field (g_ptr_array_index (records, 0), field));
}

static void
find_bill_context (CbIntacctClient *client,
                   BillContext     *ctx)
{
  g_autofree char *cond = NULL;

  ctx->vendor_id = first_value (client, "VENDOR", "VENDORID", "STATUS = 'T'");
  ctx->account_no = first_value (client, "GLACCOUNT", "ACCOUNTNO", "ACCOUNTTYPE = 'incomestatement'");
  ctx->cost_type_id = first_value (client, "COSTTYPE", "COSTTYPEID", "");
  cond = g_strdup_printf ("COSTTYPEID = '%s'", ctx->cost_type_id);
  ctx->project_id = first_value (client, "COSTTYPE", "PROJECTID", cond);
  ctx->task_id = first_value (client, "COSTTYPE", "TASKID", cond);
}

static void
bill_context_clear (BillContext *ctx)
{
  g_free (ctx->vendor_id);
  g_free (ctx->account_no);
  g_free (ctx->project_id);
  g_free (ctx->task_id);
  g_free (ctx->cost_type_id);
}

static void
bench_bills (CbSandbox *sandbox,
             guint      latency_ms,
             guint      n_bills,
             guint      batch)
{
  g_autoptr(CbIntacctClient) client = new_client (sandbox);
  g_autoptr(GDate) created = g_date_new_dmy (2, G_DATE_NOVEMBER, 2026);
  g_autoptr(GDate) due = g_date_new_dmy (2, G_DATE_DECEMBER, 2026);
  BillContext ctx = { 0 };
  guint requests_before, failed = 0;
  guint bills_before = cb_sandbox_count_records (sandbox, "APBILL", NULL, NULL);
  gint64 start, elapsed;
  double seconds, floor_s;

  find_bill_context (client, &ctx);
  cb_sandbox_set_latency (sandbox, latency_ms);
  requests_before = cb_intacct_client_get_request_count (client);
  start = g_get_monotonic_time ();

  for (guint done = 0; done < n_bills; done += batch)
    {
      g_autoptr(GPtrArray) bills = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = done; i < MIN (done + batch, n_bills); i++)
        {
          g_autofree char *number = g_strdup_printf ("BENCH-%u-%06u", latency_ms, i);
          CbIntacctRecord *bill = cb_intacct_apbill_new (ctx.vendor_id, number, created, due, NULL);

          for (guint line = 0; line < 3; line++)
            {
              g_autofree char *memo = g_strdup_printf ("Line %u of bill %s", line + 1, number);
              cb_intacct_apbill_add_line_amount (bill, ctx.account_no, 125.5 + line, memo,
                                          ctx.project_id, ctx.task_id, ctx.cost_type_id,
                                          NULL, NULL, NULL);
            }
          g_ptr_array_add (bills, bill);
        }

      results = cb_intacct_client_create (client, bills, NULL, NULL, &error);
      if (results == NULL)
        g_error ("A batch of bills failed: %s", error->message);
      for (guint i = 0; i < results->len; i++)
        {
          g_autoptr(GError) result_error = NULL;
          if (!cb_intacct_result_check (g_ptr_array_index (results, i), &result_error))
            {
              if (failed++ == 0)
                g_printerr ("first failed bill: %s\n", result_error->message);
            }
        }
    }

  elapsed = g_get_monotonic_time () - start;
  cb_sandbox_set_latency (sandbox, 0);

  {
    guint requests = cb_intacct_client_get_request_count (client) - requests_before;

    seconds = elapsed / (double) G_USEC_PER_SEC;
    floor_s = requests * latency_ms / 1000.0;
    printf ("bills  latency %2u ms: %u bills × 3 lines, %u per request: %.2f s, %u requests, "
            "%.0f bills/s, %.1f requests/s, ",
            latency_ms, n_bills, batch, seconds, requests, n_bills / seconds, requests / seconds);
    if (latency_ms > 0)
      printf ("floor %.2f s, ratio %.2f", floor_s, seconds / floor_s);
    else
      printf ("floor 0 s (no latency), ratio n/a");
    printf (", %u failed, %u stored\n", failed,
            cb_sandbox_count_records (sandbox, "APBILL", NULL, NULL) - bills_before);
  }

  bill_context_clear (&ctx);
}

static void
bench_paging (CbSandbox *sandbox,
              guint      n_vendors)
{
  g_autoptr(CbIntacctClient) client = new_client (sandbox);
  guint existing = cb_sandbox_count_records (sandbox, "VENDOR", NULL, NULL);
  const char *select[] = { "RECORDNO", "VENDORID", "NAME", "STATUS", "TAXID", NULL };

  if (existing < n_vendors)
    cb_sandbox_add_generated_vendors (sandbox, n_vendors - existing);

  for (guint kind = 0; kind < 2; kind++)
    {
      g_autoptr(CbIntacctPager) pager = NULL;
      guint64 fetched = 0;
      guint requests_before = cb_intacct_client_get_request_count (client);
      gint64 start = g_get_monotonic_time ();
      double seconds;

      if (kind == 0)
        pager = cb_intacct_pager_new_read_by_query (client, "VENDOR",
                                                    "RECORDNO,VENDORID,NAME,STATUS,TAXID", "", 0);
      else
        pager = cb_intacct_pager_new_query (client, "VENDOR", select, NULL, 0);

      for (;;)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) page = cb_intacct_pager_next (pager, NULL, &error);

          if (page == NULL)
            {
              if (error != NULL)
                g_error ("Paging failed: %s", error->message);
              break;
            }
          fetched += page->len;
        }
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      printf ("paging %-11s: %" G_GUINT64_FORMAT " vendors in %.2f s, %u requests, %.0f records/s\n",
              kind == 0 ? "readByQuery" : "query", fetched, seconds,
              cb_intacct_client_get_request_count (client) - requests_before, fetched / seconds);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CbSandbox) sandbox = cb_sandbox_new ();
  g_autoptr(GError) error = NULL;
  guint n_bills = env_uint ("CB_BENCH_BILLS", 2000);
  guint batch = env_uint ("CB_BENCH_BATCH", 50);
  guint n_vendors = env_uint ("CB_BENCH_VENDORS", 100000);

  if (!cb_sandbox_start (sandbox, 0, &error))
    g_error ("Could not start the sandbox: %s", error->message);

  printf ("# Costbridge Intacct client benchmark (sandbox on loopback, one request in flight)\n");
  bench_bills (sandbox, 0, n_bills, batch);
  bench_bills (sandbox, 50, n_bills, batch);
  bench_paging (sandbox, n_vendors);

  cb_sandbox_stop (sandbox);
  return EXIT_SUCCESS;
}
