/* cb-import.h: importing the job side from JSON and CSV exports, all or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Formats (documented in help/C/import.page, examples in data/sample/):
 * - JSON (json-glib): one file per kind — an array of objects, or an object
 *   { "kind": "vendor", "records": [ … ] } — or a bundle { "jobs": […], "cost_codes": […],
 *   "cost_types": […], "vendors": […], "bills": […], "commitments": […] }. Bills and
 *   commitments carry "lines": [ … ].
 * - CSV (libcsv): UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting (commas and
 *   newlines inside quotes), a header row; columns matched by field name (case and
 *   spacing ignored), or through a column map for files that name them differently.
 *   Bills and commitments: one row per line; the header fields repeat on each row and
 *   rows with the same id form one record (lines in row order; line fields are prefixed
 *   "line_", e.g. line_amount, or take their plain name when unambiguous).
 *   The kind comes from the options, else from the file name (vendors.csv, cost-codes.csv…).
 * Rules, stated in the help: amounts are decimal with "." as the separator, an optional
 * leading "-" or parentheses for credits, optional thousands separators "," in groups of
 * three, and an optional "$"; any other currency symbol or format is rejected. Dates are
 * ISO (2026-03-14) or US (03/14/2026, 3/14/2026); day-first dates are rejected as
 * ambiguous unless the options say so.
 *
 * All or nothing: every file is read and checked before anything is written; if any
 * record is bad, nothing is stored and the report lists every problem (up to
 * CB_IMPORT_MAX_PROBLEMS) with file, line (CSV) or record index (JSON), the record's id,
 * the field and the reason. Otherwise every file is applied in one transaction.
 */

#pragma once

#include <gio/gio.h>

#include "cb-database.h"
#include "cb-job-store.h"

G_BEGIN_DECLS

#define CB_IMPORT_MAX_PROBLEMS 200

typedef enum
{
  CB_IMPORT_DATES_ISO_OR_US,     /* default */
  CB_IMPORT_DATES_DAY_FIRST,     /* 14/03/2026 */
} CbImportDateRule;

typedef struct
{
  gboolean          has_kind;
  CbJobKind         kind;          /* when has_kind: every file is this kind */
  gboolean          full;          /* the files hold every record of their kinds:
                                    * mark the others vanished */
  CbImportDateRule  date_rule;
  GHashTable       *column_map;    /* CSV: file column name → field name, or NULL */
} CbImportOptions;

typedef struct
{
  char  *file;        /* basename */
  guint  line;        /* CSV line (1-based, the header is line 1), 0 if none */
  guint  index;       /* JSON record index (1-based), 0 if none */
  char  *record_id;   /* may be NULL */
  char  *field;       /* may be NULL */
  char  *reason;      /* a sentence, translated */
} CbImportProblem;

typedef struct
{
  CbJobApplyCounts  counts[CB_JOB_N_KINDS];
  guint             files;
  GPtrArray        *problems;          /* CbImportProblem; empty on success */
  guint             problems_dropped;  /* beyond CB_IMPORT_MAX_PROBLEMS */
} CbImportReport;

void            cb_import_problem_free   (CbImportProblem *problem);
/* "vendors.csv, line 14, vendor V-102, field tax_id: …" */
char           *cb_import_problem_to_string (const CbImportProblem *problem);
void            cb_import_report_free    (CbImportReport  *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbImportReport, cb_import_report_free)

/* Imports @files (GFile array) into the profile's store. Returns the report (transfer
 * full) in every case where the files could be judged; FALSE with @error
 * CB_IMPORT_ERROR_INVALID when any record was rejected (nothing was stored; the report
 * lists why), or another error (unreadable file, database) with nothing stored. */
gboolean        cb_import_files          (CbDatabase             *db,
                                          const char             *profile_id,
                                          GPtrArray              *files,
                                          const CbImportOptions  *options,
                                          CbImportReport        **report,
                                          GCancellable           *cancellable,
                                          GError                **error);
/* The same on a worker thread (GTask); finish returns the report or NULL with @error
 * (the report of a rejected import is still returned through @report). */
void            cb_import_files_async    (const char             *database_path,
                                          const char             *profile_id,
                                          GPtrArray              *files,
                                          const CbImportOptions  *options,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
gboolean        cb_import_files_finish   (GAsyncResult           *result,
                                          CbImportReport        **report,
                                          GError                **error);

/* Parses one file without touching the store (also used by the tests and benchmarks):
 * element-type CbJobRecord grouped per kind in @out_by_kind[CB_JOB_N_KINDS] (arrays
 * created as needed). Problems are appended to @report. */
gboolean        cb_import_parse_file     (GFile                  *file,
                                          const CbImportOptions  *options,
                                          GPtrArray             **out_by_kind,
                                          CbImportReport         *report,
                                          GCancellable           *cancellable,
                                          GError                **error);

/* Loads the sample job-side data set built into the program (data/sample/) into the
 * profile's store, as a full import. Used by --demo and `costbridge-cli demo-profile`. */
gboolean        cb_import_sample_data    (CbDatabase             *db,
                                          const char             *profile_id,
                                          CbImportReport        **report,
                                          GError                **error);

G_END_DECLS
