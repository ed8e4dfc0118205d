/* cb-import-private.h: what the importers (cb-import*.c) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format readers (CSV, JSON) turn a file into raw records: text values by field name,
 * plus raw lines for bills and commitments. cb_import_build_record() then checks a raw
 * record against the documented fields of its kind and normalises it (amounts to cents,
 * dates to ISO), adding every problem to the report.
 */

#pragma once

#include "cb-import.h"

G_BEGIN_DECLS

typedef struct
{
  GHashTable *fields;   /* field name → text value (trimmed, non-empty) */
  guint       line;     /* CSV line, or 0 */
  guint       index;    /* JSON line index (1-based), or 0 */
} CbImportRawLine;

typedef struct
{
  CbJobKind   kind;
  GHashTable *fields;   /* field name → text value (trimmed, non-empty) */
  GPtrArray  *lines;    /* CbImportRawLine, or NULL for kinds without lines */
  guint       line;     /* CSV line of the (first) row, or 0 */
  guint       index;    /* JSON record index (1-based), or 0 */
} CbImportRaw;

CbImportRaw     *cb_import_raw_new        (CbJobKind          kind);
void             cb_import_raw_free       (CbImportRaw       *raw);
CbImportRawLine *cb_import_raw_line_new   (void);
void             cb_import_raw_line_free  (CbImportRawLine   *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbImportRaw, cb_import_raw_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbImportRawLine, cb_import_raw_line_free)

typedef enum
{
  CB_IMPORT_FIELD_TEXT,
  CB_IMPORT_FIELD_DATE,
  CB_IMPORT_FIELD_AMOUNT,
  CB_IMPORT_FIELD_STATUS,     /* lower-cased; checked against the allowed values if any */
} CbImportFieldType;

typedef struct
{
  const char         *name;
  CbImportFieldType   type;
  gboolean            required;
  const char * const *allowed;  /* STATUS: NULL-terminated, or NULL for any */
} CbImportField;

/* The documented fields of @kind (header fields, or line fields), NULL-name terminated. */
const CbImportField *cb_import_fields_of   (CbJobKind          kind,
                                            gboolean           lines);
const CbImportField *cb_import_find_field  (CbJobKind          kind,
                                            gboolean           lines,
                                            const char        *name);

/* Appends a problem (or counts it as dropped beyond the cap). */
void             cb_import_add_problem    (CbImportReport    *report,
                                           const char        *file,
                                           guint              line,
                                           guint              index,
                                           const char        *record_id,
                                           const char        *field,
                                           const char        *format,
                                           ...) G_GNUC_PRINTF (7, 8);

/* Checks and normalises @raw; NULL when any problem was added. */
CbJobRecord     *cb_import_build_record   (const CbImportRaw     *raw,
                                           const char            *file,
                                           const CbImportOptions *options,
                                           CbImportReport        *report);

/* Rules, exposed for the tests: "$1,234.50" → 123450; FALSE for anything else. */
gboolean         cb_import_parse_amount   (const char        *text,
                                           gint64            *cents);
/* "2026-03-14", "3/14/2026" (or "14/3/2026" with DAY_FIRST) → newly allocated ISO date;
 * NULL with a translated reason in @reason. */
char            *cb_import_parse_date     (const char        *text,
                                           CbImportDateRule   rule,
                                           char             **reason);

/* The kind a file's name says ("cost-codes.csv", "2026 vendors.json"), if any. */
gboolean         cb_import_kind_from_filename (const char    *basename,
                                               CbJobKind     *kind);

/* Readers: append records per kind (arrays created as a kind is seen, even empty). */
gboolean         cb_import_parse_csv      (const char            *data,
                                           gsize                  length,
                                           const char            *basename,
                                           const CbImportOptions *options,
                                           GPtrArray            **out_by_kind,
                                           CbImportReport        *report,
                                           GCancellable          *cancellable,
                                           GError               **error);
gboolean         cb_import_parse_json     (const char            *data,
                                           gsize                  length,
                                           const char            *basename,
                                           const CbImportOptions *options,
                                           GPtrArray            **out_by_kind,
                                           CbImportReport        *report,
                                           GCancellable          *cancellable,
                                           GError               **error);

/* Checked records per kind (@by_kind[CB_JOB_N_KINDS]) into the store, in one transaction;
 * the counts go to @report. */
gboolean         cb_import_apply          (CbDatabase            *db,
                                           const char            *profile_id,
                                           GPtrArray            **by_kind,
                                           gboolean               full,
                                           CbImportReport        *report,
                                           GCancellable          *cancellable,
                                           GError               **error);
/* FALSE with CB_IMPORT_ERROR_INVALID when @report has problems. */
gboolean         cb_import_judge          (CbImportReport        *report,
                                           GError               **error);
void             cb_import_free_by_kind   (GPtrArray            **by_kind);

/* A new, empty report. */
CbImportReport  *cb_import_report_new     (void);

G_END_DECLS
