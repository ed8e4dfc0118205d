/* cb-intacct-request.c: writing Intacct XML gateway requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents are written with libxml2's xmlTextWriter, never pasted together, so every
 * value is escaped by the writer (< > & in text become &lt; &gt; &amp;, as Sage asks
 * for in readByQuery expressions). Validation happens at serialisation time: builders
 * never fail, cb_intacct_request_serialize() refuses what the gateway would refuse.
 */

#define G_LOG_DOMAIN "cb-intacct-request"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "cb-error.h"
#include "cb-intacct-request.h"

#define MAX_CONTROL_ID_LENGTH 256
#define READ_BY_QUERY_MAX_PAGE_SIZE 1000
#define QUERY_MAX_PAGE_SIZE 2000

struct _CbIntacctFunction
{
  gatomicrefcount  ref_count;
  char            *control_id;
  CbIntacctRecord *operation;
};

/* The same list as cb-intacct-record.c and the SDKs' log formatters. */
static const char * const secret_names[] = {
  "password", "sessionid", "taxid", "achaccountnumber", "accountnumber",
  "wireaccountnumber", "cardnum", "ssn",
};

static gboolean
is_secret_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_names); i++)
    if (g_ascii_strcasecmp (name, secret_names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* libxml2 must be initialised once before threads use it; the client writes and
 * reads on worker threads. */
static void
ensure_libxml_initialized (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

/* Functions */

CbIntacctFunction *
cb_intacct_function_new (const char      *control_id,
                         CbIntacctRecord *operation)
{
  CbIntacctFunction *self;

  g_return_val_if_fail (operation != NULL, NULL);

  self = g_new0 (CbIntacctFunction, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->control_id = control_id != NULL ? g_strdup (control_id) : cb_intacct_new_control_id ();
  self->operation = operation;
  return self;
}

CbIntacctFunction *
cb_intacct_function_ref (CbIntacctFunction *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cb_intacct_function_unref (CbIntacctFunction *self)
{
  if (self == NULL)
    return;
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->control_id);
  cb_intacct_record_unref (self->operation);
  g_free (self);
}

const char *
cb_intacct_function_get_control_id (CbIntacctFunction *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->control_id;
}

CbIntacctRecord *
cb_intacct_function_get_operation (CbIntacctFunction *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->operation;
}

const char *
cb_intacct_function_get_name (CbIntacctFunction *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cb_intacct_record_get_name (self->operation);
}

gboolean
cb_intacct_function_is_write (CbIntacctFunction *self)
{
  const char *name;

  g_return_val_if_fail (self != NULL, FALSE);

  name = cb_intacct_record_get_name (self->operation);
  return g_str_equal (name, "create") ||
         g_str_equal (name, "update") ||
         g_str_equal (name, "delete") ||
         g_str_has_prefix (name, "create_") ||
         g_str_has_prefix (name, "update_") ||
         g_str_has_prefix (name, "delete_");
}

char *
cb_intacct_new_control_id (void)
{
  return g_uuid_string_random ();
}

/* Builders */

static char *
join_keys (const char * const *keys)
{
  if (keys == NULL)
    return g_strdup ("");
  return g_strjoinv (",", (char **) keys);
}

static char *
format_uint (guint value)
{
  return g_strdup_printf ("%u", value);
}

CbIntacctFunction *
cb_intacct_function_get_api_session (const char *control_id,
                                     const char *location_id)
{
  CbIntacctRecord *op = cb_intacct_record_new ("getAPISession");

  if (location_id != NULL)
    cb_intacct_record_add_field (op, "locationid", location_id);
  return cb_intacct_function_new (control_id, op);
}

/* The children are an xs:all, so order is free; this is the PHP SDK's order. */
CbIntacctFunction *
cb_intacct_function_read_by_query (const char *control_id,
                                   const char *object,
                                   const char *fields,
                                   const char *query,
                                   guint       page_size)
{
  CbIntacctRecord *op = cb_intacct_record_new ("readByQuery");

  cb_intacct_record_add_field (op, "object", object);
  cb_intacct_record_add_field (op, "query", query != NULL ? query : "");
  cb_intacct_record_add_field (op, "fields", fields != NULL && *fields != '\0' ? fields : "*");
  if (page_size > 0)
    {
      g_autofree char *text = format_uint (page_size);
      cb_intacct_record_add_field (op, "pagesize", text);
    }
  cb_intacct_record_add_field (op, "returnFormat", "xml");
  return cb_intacct_function_new (control_id, op);
}

CbIntacctFunction *
cb_intacct_function_read_more (const char *control_id,
                               const char *result_id)
{
  CbIntacctRecord *op = cb_intacct_record_new ("readMore");

  cb_intacct_record_add_field (op, "resultId", result_id);
  return cb_intacct_function_new (control_id, op);
}

static CbIntacctFunction *
build_read (const char         *function,
            const char         *control_id,
            const char         *object,
            const char * const *keys,
            const char         *fields)
{
  CbIntacctRecord *op = cb_intacct_record_new (function);
  g_autofree char *joined = join_keys (keys);

  cb_intacct_record_add_field (op, "object", object);
  cb_intacct_record_add_field (op, "keys", joined);
  cb_intacct_record_add_field (op, "fields", fields != NULL && *fields != '\0' ? fields : "*");
  cb_intacct_record_add_field (op, "returnFormat", "xml");
  return cb_intacct_function_new (control_id, op);
}

CbIntacctFunction *
cb_intacct_function_read (const char         *control_id,
                          const char         *object,
                          const char * const *keys,
                          const char         *fields)
{
  return build_read ("read", control_id, object, keys, fields);
}

CbIntacctFunction *
cb_intacct_function_read_by_name (const char         *control_id,
                                  const char         *object,
                                  const char * const *names,
                                  const char         *fields)
{
  return build_read ("readByName", control_id, object, names, fields);
}

CbIntacctFunction *
cb_intacct_function_query (const char         *control_id,
                           const char         *object,
                           const char * const *select,
                           CbIntacctRecord    *filter,
                           const char         *order_by,
                           gboolean            descending,
                           guint               page_size,
                           guint               offset,
                           gboolean            case_insensitive,
                           gboolean            show_private)
{
  CbIntacctRecord *op = cb_intacct_record_new ("query");
  CbIntacctRecord *select_record;

  select_record = cb_intacct_record_add_child (op, "select");
  for (guint i = 0; select != NULL && select[i] != NULL; i++)
    cb_intacct_record_add_field (select_record, "field", select[i]);
  cb_intacct_record_add_field (op, "object", object);

  if (filter != NULL)
    {
      CbIntacctRecord *filter_record = cb_intacct_record_add_child (op, "filter");
      cb_intacct_record_append (filter_record, filter);
    }

  if (order_by != NULL)
    {
      CbIntacctRecord *orderby = cb_intacct_record_add_child (op, "orderby");
      CbIntacctRecord *order = cb_intacct_record_add_child (orderby, "order");

      cb_intacct_record_add_field (order, "field", order_by);
      cb_intacct_record_add_child (order, descending ? "descending" : "ascending");
    }

  if (case_insensitive || show_private)
    {
      CbIntacctRecord *options = cb_intacct_record_add_child (op, "options");

      if (case_insensitive)
        cb_intacct_record_add_field (options, "caseinsensitive", "true");
      if (show_private)
        cb_intacct_record_add_field (options, "showprivate", "true");
    }

  if (page_size > 0)
    {
      g_autofree char *text = format_uint (page_size);
      cb_intacct_record_add_field (op, "pagesize", text);
    }
  if (offset > 0)
    {
      g_autofree char *text = format_uint (offset);
      cb_intacct_record_add_field (op, "offset", text);
    }
  return cb_intacct_function_new (control_id, op);
}

static CbIntacctFunction *
build_write (const char *function,
             const char *control_id,
             GPtrArray  *objects)
{
  CbIntacctRecord *op = cb_intacct_record_new (function);

  for (guint i = 0; objects != NULL && i < objects->len; i++)
    cb_intacct_record_append (op, cb_intacct_record_copy (g_ptr_array_index (objects, i)));
  return cb_intacct_function_new (control_id, op);
}

CbIntacctFunction *
cb_intacct_function_create (const char *control_id,
                            GPtrArray  *objects)
{
  return build_write ("create", control_id, objects);
}

CbIntacctFunction *
cb_intacct_function_update (const char *control_id,
                            GPtrArray  *objects)
{
  return build_write ("update", control_id, objects);
}

CbIntacctFunction *
cb_intacct_function_delete (const char         *control_id,
                            const char         *object,
                            const char * const *record_nos)
{
  CbIntacctRecord *op = cb_intacct_record_new ("delete");
  g_autofree char *joined = join_keys (record_nos);

  cb_intacct_record_add_field (op, "object", object);
  cb_intacct_record_add_field (op, "keys", joined);
  return cb_intacct_function_new (control_id, op);
}

CbIntacctFunction *
cb_intacct_function_read_entity_details (const char *control_id)
{
  return cb_intacct_function_new (control_id, cb_intacct_record_new ("readEntityDetails"));
}

CbIntacctFunction *
cb_intacct_function_inspect (const char *control_id,
                             const char *object,
                             gboolean    detail)
{
  CbIntacctRecord *op = cb_intacct_record_new ("inspect");

  if (detail)
    cb_intacct_record_set_attribute (op, "detail", "1");
  cb_intacct_record_add_field (op, "object", object);
  return cb_intacct_function_new (control_id, op);
}

CbIntacctFunction *
cb_intacct_function_lookup (const char *control_id,
                            const char *object)
{
  CbIntacctRecord *op = cb_intacct_record_new ("lookup");

  cb_intacct_record_add_field (op, "object", object);
  return cb_intacct_function_new (control_id, op);
}

/* Filters */

CbIntacctRecord *
cb_intacct_filter_compare (const char *op,
                           const char *field,
                           const char *value)
{
  CbIntacctRecord *self;

  g_return_val_if_fail (op != NULL, NULL);

  self = cb_intacct_record_new (op);
  cb_intacct_record_add_field (self, "field", field);
  cb_intacct_record_add_field (self, "value", value);
  return self;
}

CbIntacctRecord *
cb_intacct_filter_is_null (const char *field,
                           gboolean    is_null)
{
  CbIntacctRecord *self = cb_intacct_record_new (is_null ? "isnull" : "isnotnull");

  cb_intacct_record_add_field (self, "field", field);
  return self;
}

CbIntacctRecord *
cb_intacct_filter_in (const char         *field,
                      const char * const *values,
                      gboolean            negate)
{
  CbIntacctRecord *self = cb_intacct_record_new (negate ? "notin" : "in");

  cb_intacct_record_add_field (self, "field", field);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    cb_intacct_record_add_field (self, "value", values[i]);
  return self;
}

CbIntacctRecord *
cb_intacct_filter_between (const char *field,
                           const char *low,
                           const char *high)
{
  CbIntacctRecord *self = cb_intacct_record_new ("between");

  cb_intacct_record_add_field (self, "field", field);
  cb_intacct_record_add_field (self, "value", low);
  cb_intacct_record_add_field (self, "value", high);
  return self;
}

static CbIntacctRecord *
build_logical (const char      *name,
               CbIntacctRecord *first,
               va_list          args)
{
  CbIntacctRecord *self = cb_intacct_record_new (name);

  for (CbIntacctRecord *r = first; r != NULL; r = va_arg (args, CbIntacctRecord *))
    cb_intacct_record_append (self, r);
  return self;
}

CbIntacctRecord *
cb_intacct_filter_and (CbIntacctRecord *first,
                       ...)
{
  CbIntacctRecord *self;
  va_list args;

  va_start (args, first);
  self = build_logical ("and", first, args);
  va_end (args);
  return self;
}

CbIntacctRecord *
cb_intacct_filter_or (CbIntacctRecord *first,
                      ...)
{
  CbIntacctRecord *self;
  va_list args;

  va_start (args, first);
  self = build_logical ("or", first, args);
  va_end (args);
  return self;
}

char *
cb_intacct_query_quote (const char *value)
{
  GString *out = g_string_new ("'");

  for (const char *p = value != NULL ? value : ""; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

char *
cb_intacct_query_condition (const char *field,
                            const char *op,
                            const char *value)
{
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (op != NULL, NULL);

  quoted = cb_intacct_query_quote (value);
  return g_strdup_printf ("%s %s %s", field, op, quoted);
}

/* Requests */

CbIntacctRequest *
cb_intacct_request_new (void)
{
  CbIntacctRequest *self = g_new0 (CbIntacctRequest, 1);

  self->auth_kind = CB_INTACCT_AUTH_LOGIN;
  self->functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
  return self;
}

void
cb_intacct_request_free (CbIntacctRequest *self)
{
  if (self == NULL)
    return;

  cb_clear_secret (&self->sender_password);
  cb_clear_secret (&self->user_password);
  cb_clear_secret (&self->session_id);
  g_free (self->sender_id);
  g_free (self->control_id);
  g_free (self->policy_id);
  g_free (self->user_id);
  g_free (self->company_id);
  g_free (self->client_id);
  g_free (self->location_id);
  g_clear_pointer (&self->functions, g_ptr_array_unref);
  g_free (self);
}

void
cb_intacct_request_add_function (CbIntacctRequest  *self,
                                 CbIntacctFunction *function)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (function != NULL);

  if (self->functions == NULL)
    self->functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
  g_ptr_array_add (self->functions, function);
}

/* Validation */

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  cb_intacct_set_error (error, CB_INTACCT_ERROR_INVALID_REQUEST, CB_INTACCT_LEVEL_TRANSPORT,
                        0, NULL, NULL, message);
  return FALSE;
}

static gboolean
is_empty (const char *s)
{
  return s == NULL || *s == '\0';
}

static gboolean
check_control_id (const char  *control_id,
                  const char  *what,
                  GError     **error)
{
  if (is_empty (control_id))
    return fail (error, "The %s control ID is empty.", what);
  if (!g_utf8_validate (control_id, -1, NULL))
    return fail (error, "The %s control ID is not valid UTF-8.", what);
  if (g_utf8_strlen (control_id, -1) > MAX_CONTROL_ID_LENGTH)
    return fail (error, "The %s control ID is longer than %d characters.",
                 what, MAX_CONTROL_ID_LENGTH);
  return TRUE;
}

/* Characters XML 1.0 allows in text: a control character would make the whole
 * document unreadable for the gateway. */
static gboolean
is_valid_xml_text (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return FALSE;
      if (c == 0xFFFE || c == 0xFFFF)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_text (const char  *text,
            const char  *where,
            GError     **error)
{
  if (text != NULL && !is_valid_xml_text (text))
    return fail (error, "The value of “%s” holds characters that cannot be sent to Intacct.", where);
  return TRUE;
}

static gboolean
check_page_size (const CbIntacctRecord *op,
                 guint                  max,
                 GError               **error)
{
  const char *text = cb_intacct_record_get_field (op, "pagesize");
  guint64 value = 0;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &value, NULL))
    return fail (error, "The page size of %s must be between 1 and %u, not “%s”.",
                 cb_intacct_record_get_name (op), max, text);
  return TRUE;
}

static gboolean
check_record (const CbIntacctRecord *record,
              GError               **error)
{
  const char *name = cb_intacct_record_get_name (record);
  const char **attrs;

  if (xmlValidateName ((const xmlChar *) name, 0) != 0)
    return fail (error, "“%s” is not a valid element name.", name);
  attrs = cb_intacct_record_get_attribute_names (record);
  for (guint i = 0; attrs[i] != NULL; i++)
    {
      if (xmlValidateName ((const xmlChar *) attrs[i], 0) != 0)
        return fail (error, "“%s” is not a valid attribute name.", attrs[i]);
      if (!check_text (cb_intacct_record_get_attribute (record, attrs[i]), attrs[i], error))
        return FALSE;
    }
  if (!check_text (cb_intacct_record_get_value (record), name, error))
    return FALSE;
  for (guint i = 0; i < cb_intacct_record_get_n_children (record); i++)
    if (!check_record (cb_intacct_record_get_nth_child (record, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
check_function (CbIntacctFunction  *function,
                GError            **error)
{
  const CbIntacctRecord *op = function->operation;
  const char *name = cb_intacct_record_get_name (op);

  if (!check_control_id (function->control_id, "function", error))
    return FALSE;
  if (!check_record (op, error))
    return FALSE;

  if (g_str_equal (name, "readByQuery"))
    {
      if (is_empty (cb_intacct_record_get_field (op, "object")))
        return fail (error, "readByQuery needs an object name.");
      if (!cb_intacct_record_has_field (op, "query"))
        return fail (error, "readByQuery needs a query element, even an empty one.");
      return check_page_size (op, READ_BY_QUERY_MAX_PAGE_SIZE, error);
    }
  if (g_str_equal (name, "query"))
    {
      CbIntacctRecord *select = cb_intacct_record_get_child (op, "select");
      guint n = select != NULL ? cb_intacct_record_get_n_children (select) : 0;

      if (is_empty (cb_intacct_record_get_field (op, "object")))
        return fail (error, "query needs an object name.");
      if (n == 0)
        return fail (error, "query needs at least one field to select.");
      for (guint i = 0; i < n; i++)
        {
          const char *field = cb_intacct_record_get_value (cb_intacct_record_get_nth_child (select, i));

          if (is_empty (field))
            return fail (error, "query has an empty field name in its select list.");
          if (g_str_equal (field, "*"))
            return fail (error, "query does not accept “*”: list every field to select.");
        }
      return check_page_size (op, QUERY_MAX_PAGE_SIZE, error);
    }
  if (g_str_equal (name, "readMore"))
    {
      if (is_empty (cb_intacct_record_get_field (op, "resultId")))
        return fail (error, "readMore needs the resultId of the previous page.");
    }
  else if (g_str_equal (name, "read") || g_str_equal (name, "readByName") ||
           g_str_equal (name, "delete") || g_str_equal (name, "inspect") ||
           g_str_equal (name, "lookup"))
    {
      if (is_empty (cb_intacct_record_get_field (op, "object")))
        return fail (error, "%s needs an object name.", name);
      if (g_str_equal (name, "delete") && is_empty (cb_intacct_record_get_field (op, "keys")))
        return fail (error, "delete needs at least one key.");
    }
  else if (g_str_equal (name, "create") || g_str_equal (name, "update"))
    {
      if (cb_intacct_record_get_n_children (op) == 0)
        return fail (error, "%s needs at least one object.", name);
    }
  return TRUE;
}

static gboolean
check_request (const CbIntacctRequest *self,
               GError                **error)
{
  g_autoptr(GHashTable) seen = NULL;

  if (is_empty (self->sender_id))
    return fail (error, "The Web Services sender ID is missing.");
  if (is_empty (self->sender_password))
    return fail (error, "The Web Services sender password is missing.");
  if (self->control_id != NULL && !check_control_id (self->control_id, "request", error))
    return FALSE;

  if (self->auth_kind == CB_INTACCT_AUTH_SESSION)
    {
      if (is_empty (self->session_id))
        return fail (error, "The session ID is missing.");
    }
  else
    {
      if (is_empty (self->user_id))
        return fail (error, "The user ID is missing.");
      if (is_empty (self->company_id))
        return fail (error, "The company ID is missing.");
      if (is_empty (self->user_password))
        return fail (error, "The user password is missing.");
    }

  {
    const char *values[] = {
      self->sender_id, self->sender_password, self->control_id, self->policy_id,
      self->session_id, self->user_id, self->company_id, self->user_password,
      self->client_id, self->location_id,
    };
    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      if (!check_text (values[i], "credentials", error))
        return FALSE;
  }

  /* No function at all is legal: the PHP SDK writes an empty <content/> for a
   * session request (sample request-session-empty-content.xml). */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; self->functions != NULL && i < self->functions->len; i++)
    {
      CbIntacctFunction *function = g_ptr_array_index (self->functions, i);

      if (!check_function (function, error))
        return FALSE;
      if (!g_hash_table_add (seen, function->control_id))
        return fail (error, "Two functions share the control ID “%s”.", function->control_id);
    }
  return TRUE;
}

/* Writing */

typedef struct
{
  xmlTextWriterPtr writer;
  gboolean         redact;
  gboolean         failed;
} Writer;

static void
writer_check (Writer *w,
              int     rc)
{
  if (rc < 0)
    w->failed = TRUE;
}

static void
write_element (Writer     *w,
               const char *name,
               const char *value)
{
  if (value == NULL)
    return;
  writer_check (w, xmlTextWriterStartElement (w->writer, (const xmlChar *) name));
  if (w->redact && is_secret_name (name) && *value != '\0')
    value = "REDACTED";
  writer_check (w, xmlTextWriterWriteString (w->writer, (const xmlChar *) value));
  writer_check (w, xmlTextWriterFullEndElement (w->writer));
}

static void
write_record (Writer                *w,
              const CbIntacctRecord *record)
{
  const char *name = cb_intacct_record_get_name (record);
  const char **attrs = cb_intacct_record_get_attribute_names (record);
  const char *value = cb_intacct_record_get_value (record);
  guint n = cb_intacct_record_get_n_children (record);

  writer_check (w, xmlTextWriterStartElement (w->writer, (const xmlChar *) name));
  for (guint i = 0; attrs[i] != NULL; i++)
    writer_check (w, xmlTextWriterWriteAttribute (w->writer, (const xmlChar *) attrs[i],
                                                  (const xmlChar *) cb_intacct_record_get_attribute (record, attrs[i])));
  if (n > 0)
    {
      for (guint i = 0; i < n; i++)
        write_record (w, cb_intacct_record_get_nth_child (record, i));
    }
  else if (value != NULL && *value != '\0')
    {
      if (w->redact && is_secret_name (name))
        value = "REDACTED";
      writer_check (w, xmlTextWriterWriteString (w->writer, (const xmlChar *) value));
    }
  writer_check (w, xmlTextWriterEndElement (w->writer));
}

static void
write_function (Writer            *w,
                CbIntacctFunction *function)
{
  writer_check (w, xmlTextWriterStartElement (w->writer, (const xmlChar *) "function"));
  writer_check (w, xmlTextWriterWriteAttribute (w->writer, (const xmlChar *) "controlid",
                                                (const xmlChar *) function->control_id));
  write_record (w, function->operation);
  writer_check (w, xmlTextWriterEndElement (w->writer));
}

static void
write_request (Writer                 *w,
               const CbIntacctRequest *self,
               const char             *control_id)
{
  xmlTextWriterPtr x = w->writer;

  writer_check (w, xmlTextWriterStartElement (x, (const xmlChar *) "request"));

  writer_check (w, xmlTextWriterStartElement (x, (const xmlChar *) "control"));
  write_element (w, "senderid", self->sender_id != NULL ? self->sender_id : "");
  write_element (w, "password", self->sender_password != NULL ? self->sender_password : "");
  write_element (w, "controlid", control_id);
  write_element (w, "uniqueid", self->unique_id ? "true" : "false");
  write_element (w, "dtdversion", CB_INTACCT_DTD_VERSION);
  write_element (w, "policyid", self->policy_id);
  write_element (w, "includewhitespace", self->include_whitespace ? "true" : "false");
  writer_check (w, xmlTextWriterEndElement (x));

  writer_check (w, xmlTextWriterStartElement (x, (const xmlChar *) "operation"));
  writer_check (w, xmlTextWriterWriteAttribute (x, (const xmlChar *) "transaction",
                                                (const xmlChar *) (self->transaction ? "true" : "false")));
  writer_check (w, xmlTextWriterStartElement (x, (const xmlChar *) "authentication"));
  if (self->auth_kind == CB_INTACCT_AUTH_SESSION)
    {
      write_element (w, "sessionid", self->session_id != NULL ? self->session_id : "");
    }
  else
    {
      writer_check (w, xmlTextWriterStartElement (x, (const xmlChar *) "login"));
      write_element (w, "userid", self->user_id != NULL ? self->user_id : "");
      write_element (w, "companyid", self->company_id != NULL ? self->company_id : "");
      write_element (w, "password", self->user_password != NULL ? self->user_password : "");
      write_element (w, "clientid", self->client_id);
      write_element (w, "locationid", self->location_id);
      writer_check (w, xmlTextWriterEndElement (x));
    }
  writer_check (w, xmlTextWriterEndElement (x));

  writer_check (w, xmlTextWriterStartElement (x, (const xmlChar *) "content"));
  for (guint i = 0; self->functions != NULL && i < self->functions->len; i++)
    write_function (w, g_ptr_array_index (self->functions, i));
  writer_check (w, xmlTextWriterFullEndElement (x));

  writer_check (w, xmlTextWriterEndElement (x));
  writer_check (w, xmlTextWriterEndElement (x));
}

static GBytes *
write_document (gboolean       redact,
                void         (*body) (Writer *w, gconstpointer data, gconstpointer extra),
                gconstpointer  data,
                gconstpointer  extra,
                GError       **error)
{
  xmlBufferPtr buffer;
  Writer w = { NULL, redact, FALSE };
  GBytes *bytes = NULL;

  ensure_libxml_initialized ();
  buffer = xmlBufferCreate ();
  w.writer = xmlNewTextWriterMemory (buffer, 0);
  if (w.writer == NULL)
    {
      xmlBufferFree (buffer);
      fail (error, "Could not start writing the request.");
      return NULL;
    }

  writer_check (&w, xmlTextWriterStartDocument (w.writer, NULL, "UTF-8", NULL));
  body (&w, data, extra);
  writer_check (&w, xmlTextWriterEndDocument (w.writer));
  xmlFreeTextWriter (w.writer);

  if (w.failed)
    fail (error, "Could not write the request document.");
  else
    bytes = g_bytes_new (xmlBufferContent (buffer), xmlBufferLength (buffer));

  /* The buffer held passwords: wipe it before giving it back. */
  explicit_bzero ((void *) xmlBufferContent (buffer), xmlBufferLength (buffer));
  xmlBufferFree (buffer);
  return bytes;
}

static void
write_request_body (Writer        *w,
                    gconstpointer  data,
                    gconstpointer  extra)
{
  write_request (w, data, extra);
}

static void
write_function_body (Writer        *w,
                     gconstpointer  data,
                     gconstpointer  extra)
{
  write_function (w, (CbIntacctFunction *) data);
}

GBytes *
cb_intacct_request_serialize (const CbIntacctRequest  *self,
                              GError                 **error)
{
  g_autofree char *control_id = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_request (self, error))
    return NULL;

  /* The SDKs' default request controlid is a Unix timestamp. */
  if (self->control_id != NULL)
    control_id = g_strdup (self->control_id);
  else
    control_id = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);

  return write_document (FALSE, write_request_body, self, control_id, error);
}

char *
cb_intacct_request_to_log_string (const CbIntacctRequest *self)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *control_id;

  g_return_val_if_fail (self != NULL, NULL);

  control_id = self->control_id != NULL ? self->control_id : "(timestamp)";
  bytes = write_document (TRUE, write_request_body, self, control_id, NULL);
  if (bytes == NULL)
    return g_strdup ("(request could not be written)");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

GBytes *
cb_intacct_function_serialize (CbIntacctFunction  *function,
                               GError            **error)
{
  g_return_val_if_fail (function != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_function (function, error))
    return NULL;
  return write_document (FALSE, write_function_body, function, NULL, error);
}
