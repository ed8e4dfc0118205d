/* cb-sandbox.c: an Intacct-compatible XML gateway on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gateway reads requests and writes replies with libxml2 on its own, following
 * shared/intacct/REFERENCE.md; it shares no code with src/core. It runs a SoupServer in a
 * thread of its own with its own GMainContext; all state is behind one mutex, so the
 * accessors below may be called from any thread.
 *
 * Choices where Sage documents nothing (REFERENCE.md section 9), so tests can rely on them:
 *
 *  - An expired or unknown session is an authentication failure with errorno XL03000006
 *    and description2 "Invalid session: the session has expired or does not exist". The
 *    real errorno is undocumented.
 *  - A function re-sent under uniqueid=true with a controlid that already completed gets
 *    a result failure with errorno "DUPLICATE_CONTROLID". The real answer is undocumented.
 *    Only functions that succeeded (and whose transaction committed) under uniqueid=true
 *    are remembered, for the life of the sandbox. A request without <uniqueid> counts as
 *    uniqueid=true, as Sage documents the default.
 *  - A denied permission gives errorno "XL03000004" with "You do not have permission for
 *    API operation OP on objects of type OBJECT." The real errorno is undocumented.
 *  - readEntityDetails answers <data listtype="entity" count="N"> with one <entity> per
 *    entity holding <recordno>, <id>, <name>, <currency>, <firstfiscalmonth>,
 *    <firstfiscaltaxmonth> and <weekstart>.
 *  - readByQuery and query return flat records whose nested fields keep their dotted name
 *    (<DISPLAYCONTACT.EMAIL1>); read and readByName return them nested
 *    (<DISPLAYCONTACT><EMAIL1>), and read also returns APBILLITEMS/APBILLITEM lines.
 *  - A readByQuery resultId lives 30 minutes after its last use; at most 64 are kept.
 *  - The login counter counts successful <login> authentications.
 */

#define G_LOG_DOMAIN "cb-sandbox"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cb-sandbox.h"
#include "cb-sandbox-private.h"

#define XMLGW_PATH           "/ia/xml/xmlgw.phtml"
#define RESULT_SET_LIFETIME  (30 * G_TIME_SPAN_MINUTE)
#define MAX_RESULT_SETS      64
#define ROLLBACK_TEXT        "The entire transaction in this operation has been rolled back " \
                             "due to an error."

typedef struct
{
  char   *id;
  char   *entity;      /* NULL = top level */
  gint64  last_used;   /* monotonic, µs */
} Session;

typedef struct
{
  char                *id;
  const CbSbObjectDef *def;
  GArray              *recordnos;
  guint                pos;
  guint                pagesize;
  char               **fields;    /* NULL = all */
  gint64               last_used;
} ResultSet;

typedef struct
{
  CbSandboxFault fault;
  guint          skip;
  guint          count;
} FaultEntry;

struct _CbSandbox
{
  GObject       parent_instance;

  GMutex        mutex;
  GCond         cond;

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  guint16       port;
  gboolean      listening;
  gboolean      thread_done;
  GError       *start_error;

  CbSbStore    *store;
  GHashTable   *sessions;        /* id -> Session */
  GHashTable   *result_sets;     /* id -> ResultSet */
  GHashTable   *done_controlids; /* set */
  GQueue        faults;          /* FaultEntry */
  GHashTable   *denied;          /* "OBJECT:op" set */
  guint         latency_ms;
  guint         session_lifetime;
  gboolean      construction;
  gboolean      sender_authorized;
  gboolean      web_services;
  guint         request_count;
  guint         write_count;
  guint         login_count;
  guint         generated_vendors;
};

G_DEFINE_FINAL_TYPE (CbSandbox, cb_sandbox, G_TYPE_OBJECT)

/* What one request's processing produces. */
typedef struct
{
  guint  status;
  char  *body;
  gsize  length;
  const char *content_type;
} Reply;

/* Per-operation context while running functions. */
typedef struct
{
  CbSandbox  *self;
  char       *entity;         /* the operation's entity, NULL = top level */
  Session    *session;        /* when authenticated with a session */
  gboolean    by_login;
  guint       writes;         /* writes made by the current operation */
  const char *endpoint;       /* this gateway's URL as the caller addressed it */
} Ctx;

/* ---- small helpers ------------------------------------------------------------------------ */

static void
session_free (Session *s)
{
  g_free (s->id);
  g_free (s->entity);
  g_free (s);
}

static void
result_set_free (ResultSet *rs)
{
  g_free (rs->id);
  g_array_unref (rs->recordnos);
  g_strfreev (rs->fields);
  g_free (rs);
}

static char *
random_token (guint length)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString *s = g_string_sized_new (length);

  for (guint i = 0; i < length; i++)
    g_string_append_c (s, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  return g_string_free (s, FALSE);
}

static char *
iso_time (gint64 offset_seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) t = g_date_time_add_seconds (now, offset_seconds);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%S%:z");
}

static xmlNode *
find_child (xmlNode    *node,
            const char *name)
{
  for (xmlNode *c = node ? node->children : NULL; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp ((const char *) c->name, name) == 0)
      return c;
  return NULL;
}

static char *
node_text (xmlNode *node)
{
  xmlChar *x;
  char *s;

  if (node == NULL)
    return NULL;
  x = xmlNodeGetContent (node);
  s = g_strstrip (g_strdup (x ? (const char *) x : ""));
  xmlFree (x);
  return s;
}

static char *
child_text (xmlNode    *node,
            const char *name)
{
  return node_text (find_child (node, name));
}

static gboolean
has_element_children (xmlNode *node)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return TRUE;
  return FALSE;
}

static xmlNode *
add_text (xmlNode    *parent,
          const char *name,
          const char *text)
{
  return xmlNewTextChild (parent, NULL, BAD_CAST name, BAD_CAST (text ? text : ""));
}

static void
set_uint_prop (xmlNode    *node,
               const char *name,
               guint       value)
{
  char buf[16];

  g_snprintf (buf, sizeof buf, "%u", value);
  xmlSetProp (node, BAD_CAST name, BAD_CAST buf);
}

static void
add_errors (xmlNode   *parent,
            GPtrArray *errors)
{
  xmlNode *em = xmlNewChild (parent, NULL, BAD_CAST "errormessage", NULL);

  for (guint i = 0; i < errors->len; i++)
    {
      CbSbError *e = g_ptr_array_index (errors, i);
      xmlNode *en = xmlNewChild (em, NULL, BAD_CAST "error", NULL);

      add_text (en, "errorno", e->errorno);
      add_text (en, "description", e->description);
      add_text (en, "description2", e->description2);
      add_text (en, "correction", e->correction);
    }
}

static GPtrArray *
errors_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cb_sb_error_free);
}

static void
serialize (xmlDoc *doc,
           Reply  *reply)
{
  xmlChar *mem = NULL;
  int size = 0;

  xmlDocDumpMemoryEnc (doc, &mem, &size, "UTF-8");
  reply->body = g_strndup ((const char *) mem, size);
  reply->length = size;
  xmlFree (mem);
  if (reply->status == 0)
    reply->status = SOUP_STATUS_OK;
  reply->content_type = "text/xml; encoding=\"UTF-8\"";
}

typedef struct
{
  char *senderid;
  char *controlid;
  char *uniqueid;
  char *dtdversion;
} Control;

static void
control_clear (Control *c)
{
  g_free (c->senderid);
  g_free (c->controlid);
  g_free (c->uniqueid);
  g_free (c->dtdversion);
}

static xmlNode *
new_response (xmlDoc        **doc_out,
              const Control  *c,
              const char     *status)
{
  xmlDoc *doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNode *root = xmlNewNode (NULL, BAD_CAST "response");
  xmlNode *control;

  xmlDocSetRootElement (doc, root);
  control = xmlNewChild (root, NULL, BAD_CAST "control", NULL);
  add_text (control, "status", status);
  add_text (control, "senderid", c ? c->senderid : "");
  add_text (control, "controlid", c ? c->controlid : "");
  add_text (control, "uniqueid", c && c->uniqueid ? c->uniqueid : "false");
  add_text (control, "dtdversion", c && c->dtdversion ? c->dtdversion : "3.0");
  *doc_out = doc;
  return root;
}

static void
control_failure (Reply         *reply,
                 const Control *c,
                 const char    *errorno,
                 const char    *description,
                 const char    *description2,
                 const char    *correction)
{
  g_autoptr(GPtrArray) errors = errors_new ();
  xmlDoc *doc;
  xmlNode *root = new_response (&doc, c, "failure");

  cb_sb_errors_add (errors, errorno, description, description2, correction);
  add_errors (root, errors);
  serialize (doc, reply);
  xmlFreeDoc (doc);
}

/* ---- records to XML ------------------------------------------------------------------------ */

static char *
lower (const char *s)
{
  return g_ascii_strdown (s, -1);
}

/* Flat: <DISPLAYCONTACT.EMAIL1>; nested: <DISPLAYCONTACT><EMAIL1>. */
static void
add_field (xmlNode    *parent,
           const char *name,
           const char *value,
           gboolean    nested)
{
  const char *dot = nested ? strchr (name, '.') : NULL;

  if (dot == NULL)
    {
      add_text (parent, name, value);
      return;
    }
  {
    g_autofree char *head = g_strndup (name, dot - name);
    xmlNode *group = find_child (parent, head);

    if (group == NULL)
      group = xmlNewChild (parent, NULL, BAD_CAST head, NULL);
    add_field (group, dot + 1, value, nested);
  }
}

static void
write_record (xmlNode          *parent,
              const char       *element,
              const CbSbRecord *record,
              char **const      fields,
              gboolean          nested,
              gboolean          with_lines)
{
  xmlNode *node = xmlNewChild (parent, NULL, BAD_CAST element, NULL);

  if (fields == NULL)
    {
      for (guint i = 0; i < record->fields->len; i++)
        {
          const CbSbField *f = &g_array_index (record->fields, CbSbField, i);
          add_field (node, f->name, f->value, nested);
        }
    }
  else
    {
      for (guint i = 0; fields[i] != NULL; i++)
        if (record->def->lines_container == NULL ||
            strcmp (fields[i], record->def->lines_container) != 0)
          add_field (node, fields[i], cb_sb_record_get (record, fields[i]), nested);
    }

  if (with_lines && record->lines != NULL &&
      (fields == NULL || g_strv_contains ((const char *const *) fields,
                                          record->def->lines_container)))
    {
      xmlNode *container = xmlNewChild (node, NULL, BAD_CAST record->def->lines_container, NULL);

      for (guint i = 0; i < record->lines->len; i++)
        write_record (container, record->def->line_element,
                      g_ptr_array_index (record->lines, i), NULL, nested, FALSE);
    }
}

/* "A, b ,C" -> {"A","B","C"}; NULL or "*" -> NULL (all fields) */
static char **
parse_field_list (const char *text)
{
  g_auto(GStrv) parts = NULL;
  GPtrArray *out;

  if (text == NULL || *text == '\0' || strcmp (text, "*") == 0)
    return NULL;
  parts = g_strsplit (text, ",", -1);
  out = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *f = g_ascii_strup (g_strstrip (parts[i]), -1);
      if (*f == '\0' || strcmp (f, "*") == 0)
        {
          gboolean star = *f == '*';
          g_free (f);
          if (star)
            {
              g_ptr_array_set_free_func (out, g_free);
              g_ptr_array_unref (out);
              return NULL;
            }
          continue;
        }
      g_ptr_array_add (out, f);
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* ---- checks shared by functions ------------------------------------------------------------ */

static const char *
op_of_function (const char *function)
{
  if (strcmp (function, "create") == 0)
    return "create";
  if (strcmp (function, "update") == 0)
    return "update";
  if (strcmp (function, "delete") == 0)
    return "delete";
  return "read";
}

/* Resolves an object name for a function, with permission and subscription checks. */
static const CbSbObjectDef *
resolve_object (Ctx        *ctx,
                const char *function,
                const char *object,
                GPtrArray  *errors)
{
  gboolean reading = strcmp (op_of_function (function), "read") == 0;
  const char *not_found_errno = reading ? "Query Failed" : "BL01001973";
  g_autofree char *upper = g_ascii_strup (object ? object : "", -1);
  const CbSbObjectDef *def = cb_sb_object_lookup (upper);
  g_autofree char *perm_key = NULL;

  if (def == NULL)
    {
      g_autofree char *d2 = g_strdup_printf ("Object definition %s not found",
                                             object ? object : "");
      cb_sb_errors_add (errors, not_found_errno, "", d2, "Check the object name.");
      return NULL;
    }
  if (def->construction && !ctx->self->construction)
    {
      g_autofree char *d2 = g_strdup_printf ("Object definition %s not found: %s needs the "
                                             "Construction subscription, which this company "
                                             "does not have", def->name, def->name);
      cb_sb_errors_add (errors, not_found_errno, "", d2,
                        "Subscribe the company to Construction.");
      return NULL;
    }
  perm_key = g_strdup_printf ("%s:%s", def->name, op_of_function (function));
  if (g_hash_table_contains (ctx->self->denied, perm_key))
    {
      g_autofree char *d2 = g_strdup_printf ("You do not have permission for API operation "
                                             "%s on objects of type %s.",
                                             op_of_function (function), def->name);
      cb_sb_errors_add (errors, "XL03000004", "Permission denied", d2,
                        "Ask an administrator to grant the Web Services user this "
                        "permission.");
      return NULL;
    }
  if (def->read_only && !reading)
    {
      g_autofree char *d2 = g_strdup_printf ("%s is read-only through the API; "
                                             "%s is not allowed.", def->name, function);
      cb_sb_errors_add (errors, "BL01001973", "", d2, "");
      return NULL;
    }
  return def;
}

static gboolean
parse_uint_element (xmlNode    *parent,
                    const char *name,
                    guint       default_value,
                    guint       min,
                    guint       max,
                    guint      *out,
                    GPtrArray  *errors)
{
  g_autofree char *text = child_text (parent, name);
  guint64 v;

  if (text == NULL || *text == '\0')
    {
      *out = default_value;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &v, NULL))
    {
      g_autofree char *d2 = g_strdup_printf ("%s must be a whole number from %u to %u; "
                                             "got '%s'.", name, min, max, text);
      cb_sb_errors_add (errors, "DL02000001", "Invalid parameter", d2, "");
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

/* ---- read functions ------------------------------------------------------------------------ */

static void
prune_result_sets (CbSandbox *self)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  ResultSet *rs, *oldest = NULL;

  g_hash_table_iter_init (&iter, self->result_sets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &rs))
    if (now - rs->last_used > RESULT_SET_LIFETIME)
      g_hash_table_iter_remove (&iter);

  while (g_hash_table_size (self->result_sets) >= MAX_RESULT_SETS)
    {
      oldest = NULL;
      g_hash_table_iter_init (&iter, self->result_sets);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &rs))
        if (oldest == NULL || rs->last_used < oldest->last_used)
          oldest = rs;
      g_hash_table_remove (self->result_sets, oldest->id);
    }
}

/* Writes the next page of @rs into a <data> node; frees @rs when it is done. */
static xmlNode *
result_set_page (CbSandbox *self,
                 ResultSet *rs,
                 gboolean   registered)
{
  g_autofree char *element = lower (rs->def->name);
  xmlNode *data = xmlNewNode (NULL, BAD_CAST "data");
  guint total = rs->recordnos->len;
  guint end = MIN (total, rs->pos + rs->pagesize);
  guint count = 0;

  for (guint i = rs->pos; i < end; i++)
    {
      CbSbRecord *r = cb_sb_store_get (self->store, rs->def->name,
                                       g_array_index (rs->recordnos, guint, i));
      /* a record deleted since the query started is left out of its page */
      if (r == NULL)
        continue;
      write_record (data, element, r, rs->fields, FALSE, FALSE);
      count++;
    }
  rs->pos = end;
  rs->last_used = g_get_monotonic_time ();

  xmlSetProp (data, BAD_CAST "listtype", BAD_CAST element);
  set_uint_prop (data, "count", count);
  set_uint_prop (data, "totalcount", total);
  set_uint_prop (data, "numremaining", total - end);
  if (end < total)
    {
      xmlSetProp (data, BAD_CAST "resultId", BAD_CAST rs->id);
      if (!registered)
        {
          prune_result_sets (self);
          g_hash_table_insert (self->result_sets, rs->id, rs);
        }
    }
  else
    {
      xmlSetProp (data, BAD_CAST "resultId", BAD_CAST "");
      if (registered)
        g_hash_table_remove (self->result_sets, rs->id);
      else
        result_set_free (rs);
    }
  return data;
}

static gboolean
fn_read_by_query (Ctx       *ctx,
                  xmlNode   *fn,
                  xmlNode  **data,
                  GPtrArray *errors)
{
  CbSandbox *self = ctx->self;
  g_autofree char *object = child_text (fn, "object");
  g_autofree char *fields = child_text (fn, "fields");
  g_autofree char *query = child_text (fn, "query");
  g_autofree char *parse_error = NULL;
  g_autoptr(CbSbExpr) expr = NULL;
  const CbSbObjectDef *def;
  CbSbTable *table;
  ResultSet *rs;
  guint pagesize;

  if (object == NULL || find_child (fn, "query") == NULL)
    {
      cb_sb_errors_add (errors, "XL03000003", "XML Parse schema error",
                        "readByQuery needs <object> and <query> (which may be empty).", "");
      return FALSE;
    }
  if ((def = resolve_object (ctx, "readByQuery", object, errors)) == NULL)
    return FALSE;
  if (!parse_uint_element (fn, "pagesize", 100, 1, 1000, &pagesize, errors))
    return FALSE;
  if (!cb_sb_expr_parse (query, &expr, &parse_error))
    {
      cb_sb_errors_add (errors, "Query Failed", "", parse_error,
                        "Correct the query expression.");
      return FALSE;
    }

  table = cb_sb_store_table (self->store, def->name);
  rs = g_new0 (ResultSet, 1);
  rs->def = def;
  rs->pagesize = pagesize;
  rs->fields = parse_field_list (fields);
  rs->recordnos = g_array_new (FALSE, FALSE, sizeof (guint));
  {
    g_autofree char *token = random_token (24);
    rs->id = g_strdup_printf ("%u%s", g_random_int_range (1000, 9999), token);
  }
  for (guint i = 0; i < table->records->len; i++)
    {
      CbSbRecord *r = g_ptr_array_index (table->records, i);

      if (cb_sb_visible (r, ctx->entity) && cb_sb_expr_match (expr, r, FALSE))
        g_array_append_val (rs->recordnos, r->recordno);
    }
  *data = result_set_page (self, rs, FALSE);
  return TRUE;
}

static gboolean
fn_read_more (Ctx       *ctx,
              xmlNode   *fn,
              xmlNode  **data,
              GPtrArray *errors)
{
  g_autofree char *id = child_text (fn, "resultId");
  ResultSet *rs = id ? g_hash_table_lookup (ctx->self->result_sets, id) : NULL;

  if (rs != NULL && g_get_monotonic_time () - rs->last_used > RESULT_SET_LIFETIME)
    {
      g_hash_table_remove (ctx->self->result_sets, id);
      rs = NULL;
    }
  if (rs == NULL)
    {
      g_autofree char *d2 = g_strdup_printf ("Attempt to readMore with an invalid or expired "
                                             "resultId: %s", id ? id : "");
      cb_sb_errors_add (errors, "readMore failed", "", d2,
                        "Run the readByQuery again from the first page.");
      return FALSE;
    }
  *data = result_set_page (ctx->self, rs, TRUE);
  return TRUE;
}

typedef struct
{
  const char *field;
  gboolean    descending;
} OrderKey;

typedef struct
{
  GArray   *keys;
  gboolean  ci;
} OrderSpec;

static gint
compare_records (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const CbSbRecord *ra = *(CbSbRecord **) a;
  const CbSbRecord *rb = *(CbSbRecord **) b;
  OrderSpec *spec = user_data;

  for (guint i = 0; i < spec->keys->len; i++)
    {
      OrderKey *k = &g_array_index (spec->keys, OrderKey, i);
      int c;

      if (strcmp (k->field, "RECORDNO") == 0)
        c = (ra->recordno > rb->recordno) - (ra->recordno < rb->recordno);
      else
        c = cb_sb_compare_values (cb_sb_record_get (ra, k->field),
                                  cb_sb_record_get (rb, k->field), spec->ci);
      if (c != 0)
        return k->descending ? -c : c;
    }
  return (ra->recordno > rb->recordno) - (ra->recordno < rb->recordno);
}

static gboolean
fn_query (Ctx       *ctx,
          xmlNode   *fn,
          xmlNode  **data_out,
          GPtrArray *errors)
{
  CbSandbox *self = ctx->self;
  g_autofree char *object = child_text (fn, "object");
  xmlNode *select = find_child (fn, "select");
  xmlNode *filter = find_child (fn, "filter");
  xmlNode *orderby = find_child (fn, "orderby");
  xmlNode *options = find_child (fn, "options");
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(CbSbExpr) expr = NULL;
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (OrderKey));
  g_autofree char *filter_error = NULL;
  g_autofree char *element = NULL;
  const CbSbObjectDef *def;
  CbSbTable *table;
  gboolean ci = FALSE;
  guint pagesize, offset, end;
  xmlNode *data;

  if (object == NULL || select == NULL)
    {
      cb_sb_errors_add (errors, "XL03000003", "XML Parse schema error",
                        "query needs <object> and <select>.", "");
      return FALSE;
    }
  if ((def = resolve_object (ctx, "query", object, errors)) == NULL)
    return FALSE;

  for (xmlNode *c = select->children; c != NULL; c = c->next)
    {
      g_autofree char *text = NULL;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      text = node_text (c);
      if (strcmp ((const char *) c->name, "field") != 0)
        {
          g_autofree char *d2 = g_strdup_printf ("The sandbox does not support <%s> in "
                                                 "<select>.", (const char *) c->name);
          cb_sb_errors_add (errors, "Query Failed", "", d2, "Select plain fields.");
          return FALSE;
        }
      if (strcmp (text, "*") == 0 || *text == '\0')
        {
          cb_sb_errors_add (errors, "Query Failed", "",
                            "query does not accept '*' or an empty field: list every field "
                            "in <select>.", "");
          return FALSE;
        }
      g_ptr_array_add (fields, g_ascii_strup (text, -1));
    }
  if (fields->len == 0)
    {
      cb_sb_errors_add (errors, "Query Failed", "", "query needs at least one <select>/<field>.",
                        "");
      return FALSE;
    }
  g_ptr_array_add (fields, NULL);

  if (options != NULL)
    {
      g_autofree char *v = child_text (options, "caseinsensitive");
      ci = v != NULL && g_ascii_strcasecmp (v, "true") == 0;
    }
  if (!parse_uint_element (fn, "pagesize", 100, 1, 2000, &pagesize, errors) ||
      !parse_uint_element (fn, "offset", 0, 0, G_MAXINT, &offset, errors))
    return FALSE;
  if (filter != NULL && !cb_sb_expr_from_filter (filter, &expr, &filter_error))
    {
      cb_sb_errors_add (errors, "Query Failed", "", filter_error, "Correct the filter.");
      return FALSE;
    }
  for (xmlNode *o = orderby ? orderby->children : NULL; o != NULL; o = o->next)
    {
      g_autofree char *f = NULL;
      OrderKey k;

      if (o->type != XML_ELEMENT_NODE || strcmp ((const char *) o->name, "order") != 0)
        continue;
      f = child_text (o, "field");
      if (f == NULL || *f == '\0')
        continue;
      {
        g_autofree char *up = g_ascii_strup (f, -1);
        k.field = g_intern_string (up);
      }
      k.descending = find_child (o, "descending") != NULL;
      g_array_append_val (keys, k);
    }

  table = cb_sb_store_table (self->store, def->name);
  for (guint i = 0; i < table->records->len; i++)
    {
      CbSbRecord *r = g_ptr_array_index (table->records, i);

      if (cb_sb_visible (r, ctx->entity) && cb_sb_expr_match (expr, r, ci))
        g_ptr_array_add (matches, r);
    }
  if (keys->len > 0)
    {
      OrderSpec spec = { keys, ci };
      g_ptr_array_sort_with_data (matches, compare_records, &spec);
    }

  offset = MIN (offset, matches->len);
  end = MIN (matches->len, offset + pagesize);
  data = xmlNewNode (NULL, BAD_CAST "data");
  xmlSetProp (data, BAD_CAST "listtype", BAD_CAST def->name);
  set_uint_prop (data, "totalcount", matches->len);
  set_uint_prop (data, "offset", offset);
  set_uint_prop (data, "count", end - offset);
  set_uint_prop (data, "numremaining", matches->len - end);
  for (guint i = offset; i < end; i++)
    write_record (data, def->name, g_ptr_array_index (matches, i),
                  (char **) fields->pdata, FALSE, FALSE);
  *data_out = data;
  return TRUE;
}

static gboolean
fn_read (Ctx        *ctx,
         xmlNode    *fn,
         xmlNode   **data_out,
         GPtrArray  *errors,
         gboolean    by_name)
{
  CbSandbox *self = ctx->self;
  g_autofree char *object = child_text (fn, "object");
  g_autofree char *keys = child_text (fn, "keys");
  g_autofree char *fields_text = child_text (fn, "fields");
  g_auto(GStrv) fields = NULL;
  g_auto(GStrv) parts = NULL;
  const CbSbObjectDef *def;
  xmlNode *data;
  guint count = 0;

  if (object == NULL)
    {
      cb_sb_errors_add (errors, "XL03000003", "XML Parse schema error",
                        "read needs <object> and <keys>.", "");
      return FALSE;
    }
  if ((def = resolve_object (ctx, by_name ? "readByName" : "read", object, errors)) == NULL)
    return FALSE;
  if (by_name && def->id_field == NULL)
    {
      g_autofree char *d2 = g_strdup_printf ("%s has no name field for readByName.", def->name);
      cb_sb_errors_add (errors, "Query Failed", "", d2, "Use read with RECORDNO keys.");
      return FALSE;
    }
  fields = parse_field_list (fields_text);
  data = xmlNewNode (NULL, BAD_CAST "data");
  xmlSetProp (data, BAD_CAST "listtype", BAD_CAST def->name);

  parts = g_strsplit (keys ? keys : "", ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *key = g_strstrip (parts[i]);
      CbSbRecord *r = NULL;
      guint64 no;

      if (*key == '\0')
        continue;
      if (by_name)
        {
          if (strcmp (def->name, "TASK") == 0 || strcmp (def->name, "COSTTYPE") == 0 ||
              strcmp (def->name, "APBILL") == 0)
            {
              /* these IDs repeat (per project, per vendor): return every match */
              CbSbTable *table = cb_sb_store_table (self->store, def->name);

              for (guint k = 0; k < table->records->len; k++)
                {
                  CbSbRecord *c = g_ptr_array_index (table->records, k);

                  if (cb_sb_visible (c, ctx->entity) &&
                      g_strcmp0 (cb_sb_record_get (c, def->id_field), key) == 0)
                    {
                      write_record (data, def->name, c, fields, TRUE, TRUE);
                      count++;
                    }
                }
            }
          else
            {
              r = cb_sb_store_find_by_id (self->store, def->name, key);
              if (r != NULL && cb_sb_visible (r, ctx->entity))
                {
                  write_record (data, def->name, r, fields, TRUE, TRUE);
                  count++;
                }
            }
          continue;
        }
      if (!g_ascii_string_to_unsigned (key, 10, 1, G_MAXUINT, &no, NULL))
        continue;
      r = cb_sb_store_get (self->store, def->name, (guint) no);
      if (r != NULL && cb_sb_visible (r, ctx->entity))
        {
          write_record (data, def->name, r, fields, TRUE, TRUE);
          count++;
        }
    }
  set_uint_prop (data, "count", count);
  *data_out = data;
  return TRUE;
}

static gboolean
fn_read_entity_details (Ctx       *ctx,
                        xmlNode   *fn,
                        xmlNode  **data_out,
                        GPtrArray *errors)
{
  CbSbTable *table = cb_sb_store_table (ctx->self->store, "LOCATIONENTITY");
  xmlNode *data = xmlNewNode (NULL, BAD_CAST "data");

  xmlSetProp (data, BAD_CAST "listtype", BAD_CAST "entity");
  set_uint_prop (data, "count", table->records->len);
  for (guint i = 0; i < table->records->len; i++)
    {
      CbSbRecord *r = g_ptr_array_index (table->records, i);
      xmlNode *e = xmlNewChild (data, NULL, BAD_CAST "entity", NULL);

      add_text (e, "recordno", cb_sb_record_get (r, "RECORDNO"));
      add_text (e, "id", cb_sb_record_get (r, "LOCATIONID"));
      add_text (e, "name", cb_sb_record_get (r, "NAME"));
      add_text (e, "currency", cb_sb_record_get (r, "CURRENCY"));
      add_text (e, "firstfiscalmonth", cb_sb_record_get (r, "FIRSTFISCALMONTH"));
      add_text (e, "firstfiscaltaxmonth", cb_sb_record_get (r, "FIRSTTAXMONTH"));
      add_text (e, "weekstart", cb_sb_record_get (r, "WEEKSTART"));
    }
  *data_out = data;
  return TRUE;
}

static gboolean
fn_lookup (Ctx       *ctx,
           xmlNode   *fn,
           xmlNode  **data_out,
           GPtrArray *errors,
           gboolean   inspect)
{
  g_autofree char *object = child_text (fn, "object");
  const CbSbObjectDef *def = resolve_object (ctx, inspect ? "inspect" : "lookup", object,
                                             errors);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  CbSbTable *table;
  xmlNode *data, *type, *fields;

  if (def == NULL)
    return FALSE;
  table = cb_sb_store_table (ctx->self->store, def->name);
  g_ptr_array_add (names, (gpointer) g_intern_static_string ("RECORDNO"));
  if (def->id_field != NULL)
    g_ptr_array_add (names, (gpointer) g_intern_string (def->id_field));
  for (guint i = 0; def->required[i] != NULL; i++)
    if (!g_ptr_array_find (names, g_intern_string (def->required[i]), NULL))
      g_ptr_array_add (names, (gpointer) g_intern_string (def->required[i]));
  if (table->records->len > 0)
    {
      CbSbRecord *r = g_ptr_array_index (table->records, 0);
      for (guint i = 0; i < r->fields->len; i++)
        {
          const char *n = g_array_index (r->fields, CbSbField, i).name;
          if (!g_ptr_array_find (names, n, NULL))
            g_ptr_array_add (names, (gpointer) n);
        }
    }

  data = xmlNewNode (NULL, BAD_CAST "data");
  xmlSetProp (data, BAD_CAST "listtype", BAD_CAST "All");
  type = xmlNewChild (data, NULL, BAD_CAST "Type", NULL);
  xmlSetProp (type, BAD_CAST "Name", BAD_CAST def->name);
  fields = xmlNewChild (type, NULL, BAD_CAST "Fields", NULL);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      gboolean required = g_strv_contains (def->required, n);

      if (inspect)
        add_text (fields, "Field", n);
      else
        {
          xmlNode *f = xmlNewChild (fields, NULL, BAD_CAST "Field", NULL);
          add_text (f, "ID", n);
          add_text (f, "LABEL", n);
          add_text (f, "REQUIRED", required ? "true" : "false");
          add_text (f, "READONLY", strcmp (n, "RECORDNO") == 0 ||
                                   strcmp (n, "WHENMODIFIED") == 0 ? "true" : "false");
          add_text (f, "DATATYPE", "TEXT");
        }
    }
  *data_out = data;
  return TRUE;
}

/* ---- write functions ----------------------------------------------------------------------- */

static void
flatten_into (CbSbRecord *record,
              xmlNode    *node,
              const char *prefix,
              gboolean    lines_allowed)
{
  const CbSbObjectDef *def = record->def;

  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      g_autofree char *name = NULL;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      name = g_ascii_strup ((const char *) c->name, -1);
      if (prefix == NULL && lines_allowed && def->lines_container != NULL &&
          strcmp (name, def->lines_container) == 0)
        {
          g_ptr_array_set_size (record->lines, 0);
          for (xmlNode *l = c->children; l != NULL; l = l->next)
            {
              CbSbRecord *line;

              if (l->type != XML_ELEMENT_NODE ||
                  g_ascii_strcasecmp ((const char *) l->name, def->line_element) != 0)
                continue;
              line = cb_sb_record_new (cb_sb_line_def ());
              flatten_into (line, l, NULL, FALSE);
              g_ptr_array_add (record->lines, line);
            }
          continue;
        }
      {
        g_autofree char *full = prefix ? g_strdup_printf ("%s.%s", prefix, name)
                                       : g_strdup (name);

        if (strcmp (full, "RECORDNO") == 0)
          continue;
        if (has_element_children (c))
          flatten_into (record, c, full, FALSE);
        else
          {
            g_autofree char *value = node_text (c);
            cb_sb_record_set (record, full, value);
          }
      }
    }
}

static void
finish_lines (CbSandbox  *self,
              CbSbRecord *record)
{
  if (record->lines == NULL)
    return;
  for (guint i = 0; i < record->lines->len; i++)
    {
      CbSbRecord *line = g_ptr_array_index (record->lines, i);
      char buf[16];

      if (line->recordno == 0)
        line->recordno = cb_sb_store_next_recordno (self->store);
      g_free (line->entity);
      line->entity = g_strdup (record->entity);
      g_snprintf (buf, sizeof buf, "%u", line->recordno);
      cb_sb_record_unset (line, "RECORDNO");
      cb_sb_record_unset (line, "LINE_NO");
      /* RECORDNO and LINE_NO first, as read shows them */
      {
        CbSbField f1 = { g_intern_static_string ("RECORDNO"), g_strdup (buf) };
        CbSbField f2;
        g_snprintf (buf, sizeof buf, "%u", i + 1);
        f2.name = g_intern_static_string ("LINE_NO");
        f2.value = g_strdup (buf);
        g_array_prepend_val (line->fields, f2);
        g_array_prepend_val (line->fields, f1);
      }
    }
}

static void
write_object_result (xmlNode          *data,
                     const CbSbRecord *record)
{
  g_autofree char *element = lower (record->def->name);
  xmlNode *node = xmlNewChild (data, NULL, BAD_CAST element, NULL);

  add_text (node, "RECORDNO", cb_sb_record_get (record, "RECORDNO"));
  if (record->def->id_field != NULL)
    add_text (node, record->def->id_field, cb_sb_record_get (record, record->def->id_field));
}

static xmlNode *
objects_data (void)
{
  xmlNode *data = xmlNewNode (NULL, BAD_CAST "data");

  xmlSetProp (data, BAD_CAST "listtype", BAD_CAST "objects");
  return data;
}

/* The end of every written object: stamp it, number its lines, validate it against the
 * store (@old: the record it replaces, NULL for a create), report it in @data and keep it.
 * Takes @record. */
static gboolean
store_object (Ctx        *ctx,
              xmlNode    *data,
              CbSbRecord *record,
              CbSbRecord *old,
              GPtrArray  *errors)
{
  CbSandbox *self = ctx->self;
  g_autofree char *modified = cb_sb_now_modified ();

  cb_sb_record_set (record, "WHENMODIFIED", modified);
  finish_lines (self, record);
  if (!cb_sb_validate (self->store, ctx->entity, record, old, errors))
    {
      cb_sb_record_free (record);
      return FALSE;
    }
  write_object_result (data, record);
  if (old != NULL)
    cb_sb_store_replace (self->store, record);
  else
    cb_sb_store_insert (self->store, record);
  ctx->writes++;
  return TRUE;
}

/* Sets the objects count; after a failure reports none (the caller undoes the function's
 * own writes). */
static gboolean
finish_objects (xmlNode   *data,
                gboolean   ok,
                guint      count,
                xmlNode  **data_out)
{
  if (!ok)
    {
      xmlFreeNode (data);
      data = objects_data ();
      count = 0;
    }
  set_uint_prop (data, "count", count);
  *data_out = data;
  return ok;
}

static gboolean
fn_create (Ctx       *ctx,
           xmlNode   *fn,
           xmlNode  **data_out,
           GPtrArray *errors)
{
  CbSandbox *self = ctx->self;
  xmlNode *data = objects_data ();
  guint count = 0;
  gboolean ok = TRUE;

  for (xmlNode *o = fn->children; o != NULL && ok; o = o->next)
    {
      g_autoptr(CbSbRecord) record = NULL;
      const CbSbObjectDef *def;
      char buf[16];

      if (o->type != XML_ELEMENT_NODE)
        continue;
      if ((def = resolve_object (ctx, "create", (const char *) o->name, errors)) == NULL)
        {
          ok = FALSE;
          break;
        }
      record = cb_sb_record_new (def);
      record->recordno = cb_sb_store_next_recordno (self->store);
      record->entity = g_strdup (ctx->entity);
      g_snprintf (buf, sizeof buf, "%u", record->recordno);
      cb_sb_record_set (record, "RECORDNO", buf);
      flatten_into (record, o, NULL, TRUE);

      if (def->id_from_recordno && cb_sb_record_is_empty (record, def->id_field))
        cb_sb_record_set (record, def->id_field, buf);
      if (strcmp (def->name, "COSTTYPE") == 0)
        {
          CbSbRecord *std = cb_sb_store_find_by_id (self->store, "STANDARDCOSTTYPE",
                                                   cb_sb_record_get (record,
                                                                     "STANDARDCOSTTYPEID"));
          if (cb_sb_record_is_empty (record, "COSTTYPEID"))
            cb_sb_record_set (record, "COSTTYPEID",
                              cb_sb_record_get (record, "STANDARDCOSTTYPEID"));
          if (std != NULL && cb_sb_record_is_empty (record, "NAME"))
            cb_sb_record_set (record, "NAME", cb_sb_record_get (std, "NAME"));
        }
      if (strcmp (def->name, "PROJECT") == 0 && ctx->entity != NULL &&
          cb_sb_record_is_empty (record, "LOCATIONID"))
        cb_sb_record_set (record, "LOCATIONID", ctx->entity);
      if (def->status_default != NULL && cb_sb_record_is_empty (record, "STATUS"))
        cb_sb_record_set (record, "STATUS", def->status_default);
      if (!store_object (ctx, data, g_steal_pointer (&record), NULL, errors))
        {
          ok = FALSE;
          break;
        }
      count++;
    }

  return finish_objects (data, ok, count, data_out);
}

static CbSbRecord *
find_for_update (Ctx                 *ctx,
                 const CbSbObjectDef *def,
                 xmlNode             *o,
                 GPtrArray           *errors)
{
  g_autofree char *recordno = child_text (o, "RECORDNO");
  g_autofree char *id = def->id_field ? child_text (o, def->id_field) : NULL;
  CbSbRecord *r = NULL;
  guint64 no;

  if (recordno != NULL && *recordno != '\0')
    {
      if (g_ascii_string_to_unsigned (recordno, 10, 1, G_MAXUINT, &no, NULL))
        r = cb_sb_store_get (ctx->self->store, def->name, (guint) no);
      if (r == NULL || !cb_sb_visible (r, ctx->entity))
        {
          g_autofree char *d2 = g_strdup_printf ("Cannot update non-existing %s with "
                                                 "RECORDNO=%s.", def->name, recordno);
          cb_sb_errors_add (errors, "BL01001973", "", d2, "Check the RECORDNO.");
          return NULL;
        }
      return r;
    }
  if (!def->update_by_id)
    {
      g_autofree char *d2 = g_strdup_printf ("RECORDNO is required to update %s.", def->name);
      cb_sb_errors_add (errors, "BL01001973", "Required field missing", d2,
                        "Look the record up and send its RECORDNO.");
      return NULL;
    }
  if (id == NULL || *id == '\0')
    {
      g_autofree char *d2 = g_strdup_printf ("Give RECORDNO or %s to update %s.",
                                             def->id_field, def->name);
      cb_sb_errors_add (errors, "BL01001973", "Required field missing", d2, "");
      return NULL;
    }
  r = cb_sb_store_find_by_id (ctx->self->store, def->name, id);
  if (r == NULL || !cb_sb_visible (r, ctx->entity))
    {
      g_autofree char *d2 = g_strdup_printf ("Cannot update non-existing %s with %s=%s.",
                                             def->name, def->id_field, id);
      cb_sb_errors_add (errors, "BL01001973", "", d2, "Check the ID.");
      return NULL;
    }
  return r;
}

static gboolean
fn_update (Ctx       *ctx,
           xmlNode   *fn,
           xmlNode  **data_out,
           GPtrArray *errors)
{
  xmlNode *data = objects_data ();
  guint count = 0;
  gboolean ok = TRUE;

  for (xmlNode *o = fn->children; o != NULL && ok; o = o->next)
    {
      g_autoptr(CbSbRecord) record = NULL;
      const CbSbObjectDef *def;
      CbSbRecord *old;

      if (o->type != XML_ELEMENT_NODE)
        continue;
      if ((def = resolve_object (ctx, "update", (const char *) o->name, errors)) == NULL ||
          (old = find_for_update (ctx, def, o, errors)) == NULL)
        {
          ok = FALSE;
          break;
        }
      if (strcmp (def->name, "TASK") == 0 && find_child (o, "TASKSTATUS") == NULL)
        {
          cb_sb_errors_add (errors, "BL01001973", "Required field missing",
                            "TASKSTATUS is required when updating TASK.",
                            "Send the task's TASKSTATUS with every update.");
          ok = FALSE;
          break;
        }
      record = cb_sb_record_copy (old);
      flatten_into (record, o, NULL, TRUE);
      if (!store_object (ctx, data, g_steal_pointer (&record), old, errors))
        {
          ok = FALSE;
          break;
        }
      count++;
    }

  return finish_objects (data, ok, count, data_out);
}

static gboolean
fn_delete (Ctx       *ctx,
           xmlNode   *fn,
           xmlNode  **data_out,
           GPtrArray *errors)
{
  g_autofree char *object = child_text (fn, "object");
  g_autofree char *keys = child_text (fn, "keys");
  g_auto(GStrv) parts = NULL;
  const CbSbObjectDef *def;

  if (object == NULL || keys == NULL)
    {
      cb_sb_errors_add (errors, "XL03000003", "XML Parse schema error",
                        "delete needs <object> and <keys>.", "");
      return FALSE;
    }
  if ((def = resolve_object (ctx, "delete", object, errors)) == NULL)
    return FALSE;
  parts = g_strsplit (keys, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *key = g_strstrip (parts[i]);
      CbSbRecord *r = NULL;
      guint64 no;

      if (*key == '\0')
        continue;
      if (g_ascii_string_to_unsigned (key, 10, 1, G_MAXUINT, &no, NULL))
        r = cb_sb_store_get (ctx->self->store, def->name, (guint) no);
      if (r == NULL || !cb_sb_visible (r, ctx->entity))
        {
          g_autofree char *lname = lower (def->name);
          g_autofree char *d2 = g_strdup_printf ("Cannot find %s with key '%s' to delete.",
                                                 lname, key);
          cb_sb_errors_add (errors, "BL01001973", "", d2, "");
          return FALSE;
        }
      cb_sb_store_remove (ctx->self->store, def, (guint) no);
      ctx->writes++;
    }
  return TRUE;
}

/* ---- sessions ---------------------------------------------------------------------------- */

static Session *
session_new (CbSandbox  *self,
             const char *entity)
{
  Session *s = g_new0 (Session, 1);
  g_autofree char *token = random_token (40);

  s->id = g_strdup_printf ("%s..", token);
  s->entity = (entity && *entity) ? g_strdup (entity) : NULL;
  s->last_used = g_get_monotonic_time ();
  g_hash_table_insert (self->sessions, s->id, s);
  return s;
}

static gboolean
session_expired (CbSandbox *self,
                 Session   *s)
{
  return g_get_monotonic_time () - s->last_used >
         (gint64) self->session_lifetime * G_TIME_SPAN_SECOND;
}

static gboolean
is_entity (CbSandbox  *self,
           const char *id)
{
  return cb_sb_store_get_by_key (self->store, "LOCATIONENTITY", id) != NULL;
}

static gboolean
fn_get_api_session (Ctx       *ctx,
                    xmlNode   *fn,
                    xmlNode  **data_out,
                    GPtrArray *errors)
{
  CbSandbox *self = ctx->self;
  xmlNode *loc = find_child (fn, "locationid");
  g_autofree char *location = node_text (loc);
  g_autofree char *endpoint = NULL;
  Session *s;
  xmlNode *data, *api;

  if (location != NULL && *location != '\0' && !is_entity (self, location))
    {
      g_autofree char *d2 = g_strdup_printf ("Invalid entity: '%s' is not an entity of this "
                                             "company, or the user may not use it.", location);
      cb_sb_errors_add (errors, "Get API Session Failed", "", d2,
                        "Use an entity ID from readEntityDetails.");
      return FALSE;
    }
  if (loc != NULL)
    s = session_new (self, location);
  else if (ctx->session != NULL)
    s = ctx->session;
  else
    s = session_new (self, ctx->entity);

  /* The real gateway answers with the URL of the host that serves the company; the sandbox
   * answers with its own, under the name the caller used (a client that reached it as
   * sandbox.intacct.com keeps that name, as the SDKs' host check requires). */
  if (ctx->endpoint != NULL)
    endpoint = g_strdup (ctx->endpoint);
  else
    endpoint = g_strdup_printf ("http://127.0.0.1:%u" XMLGW_PATH, self->port);
  data = xmlNewNode (NULL, BAD_CAST "data");
  api = xmlNewChild (data, NULL, BAD_CAST "api", NULL);
  add_text (api, "sessionid", s->id);
  add_text (api, "endpoint", endpoint);
  add_text (api, "locationid", s->entity ? s->entity : "");
  *data_out = data;
  return TRUE;
}

/* ---- one request ------------------------------------------------------------------------- */

typedef struct
{
  char      *function;
  char      *controlid;
  const char *status;
  xmlNode   *data;
  GPtrArray *errors;
  gboolean   ok;
} FnResult;

static void
fn_result_free (FnResult *r)
{
  g_free (r->function);
  g_free (r->controlid);
  if (r->data != NULL)
    xmlFreeNode (r->data);
  g_ptr_array_unref (r->errors);
  g_free (r);
}

static gboolean
run_function (Ctx        *ctx,
              const char *name,
              xmlNode    *op,
              xmlNode   **data,
              GPtrArray  *errors)
{
  if (strcmp (name, "readByQuery") == 0)
    return fn_read_by_query (ctx, op, data, errors);
  if (strcmp (name, "readMore") == 0)
    return fn_read_more (ctx, op, data, errors);
  if (strcmp (name, "query") == 0)
    return fn_query (ctx, op, data, errors);
  if (strcmp (name, "read") == 0)
    return fn_read (ctx, op, data, errors, FALSE);
  if (strcmp (name, "readByName") == 0)
    return fn_read (ctx, op, data, errors, TRUE);
  if (strcmp (name, "create") == 0)
    return fn_create (ctx, op, data, errors);
  if (strcmp (name, "update") == 0)
    return fn_update (ctx, op, data, errors);
  if (strcmp (name, "delete") == 0)
    return fn_delete (ctx, op, data, errors);
  if (strcmp (name, "getAPISession") == 0)
    return fn_get_api_session (ctx, op, data, errors);
  if (strcmp (name, "readEntityDetails") == 0)
    return fn_read_entity_details (ctx, op, data, errors);
  if (strcmp (name, "lookup") == 0)
    return fn_lookup (ctx, op, data, errors, FALSE);
  if (strcmp (name, "inspect") == 0)
    return fn_lookup (ctx, op, data, errors, TRUE);

  {
    g_autofree char *d2 = g_strdup_printf ("The function %s is not supported by the Costbridge "
                                           "sandbox gateway.", name);
    cb_sb_errors_add (errors, "XL03000003", "Unsupported function", d2,
                      "Use the generic functions (create, update, delete, read, readByQuery, "
                      "readMore, readByName, query).");
  }
  return FALSE;
}

static void
add_auth_block (xmlNode    *operation,
                const char *status,
                const char *userid,
                const char *companyid,
                const char *entity,
                gboolean    with_times,
                guint       lifetime)
{
  xmlNode *auth = xmlNewChild (operation, NULL, BAD_CAST "authentication", NULL);

  add_text (auth, "status", status);
  add_text (auth, "userid", userid);
  add_text (auth, "companyid", companyid);
  add_text (auth, "locationid", entity ? entity : "");
  if (with_times)
    {
      g_autofree char *ts = iso_time (0);
      g_autofree char *to = iso_time (lifetime);
      add_text (auth, "sessiontimestamp", ts);
      add_text (auth, "sessiontimeout", to);
    }
}

static void
auth_failure (Reply         *reply,
              const Control *c,
              const char    *userid,
              const char    *companyid,
              const char    *entity,
              const char    *description2,
              const char    *correction)
{
  g_autoptr(GPtrArray) errors = errors_new ();
  xmlDoc *doc;
  xmlNode *root = new_response (&doc, c, "success");
  xmlNode *operation = xmlNewChild (root, NULL, BAD_CAST "operation", NULL);

  add_auth_block (operation, "failure", userid, companyid, entity, FALSE, 0);
  cb_sb_errors_add (errors, "XL03000006", "", description2, correction);
  add_errors (operation, errors);
  serialize (doc, reply);
  xmlFreeDoc (doc);
}

/* Handles one POST body with the mutex held. */
static void
process_request (CbSandbox  *self,
                 const char *endpoint,
                 const char *body,
                 gsize       length,
                 Reply      *reply)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) pending_ids = NULL;
  Control c = { 0 };
  xmlDoc *req = NULL;
  xmlNode *root, *control, *operation, *auth, *content, *login, *sid;
  g_autofree char *password = NULL;
  g_autofree char *transaction = NULL;
  Ctx ctx = { self, NULL, NULL, FALSE, 0, endpoint };
  gboolean uniqueid, in_transaction, failed = FALSE;
  xmlDoc *doc;
  xmlNode *out_root, *out_op;

  if (length > G_MAXINT)
    {
      control_failure (reply, NULL, "XL03000003", "XML Parse schema error",
                       "The request is too large.", "");
      return;
    }
  req = xmlReadMemory (body, (int) length, "request.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (req == NULL || (root = xmlDocGetRootElement (req)) == NULL ||
      strcmp ((const char *) root->name, "request") != 0 ||
      (control = find_child (root, "control")) == NULL)
    {
      control_failure (reply, NULL, "XL03000003", "XML Parse schema error",
                       req == NULL ? "The request is not well-formed XML."
                                   : "The request has no <request>/<control>.",
                       "Send a well-formed request document.");
      goto out;
    }
  if (req->intSubset != NULL)
    {
      control_failure (reply, NULL, "XL03000003", "XML Parse schema error",
                       "A DOCTYPE is not allowed in a request.", "");
      goto out;
    }

  c.senderid = child_text (control, "senderid");
  c.controlid = child_text (control, "controlid");
  c.uniqueid = child_text (control, "uniqueid");
  c.dtdversion = child_text (control, "dtdversion");
  password = child_text (control, "password");

  if (c.senderid == NULL || c.controlid == NULL)
    {
      control_failure (reply, &c, "XL03000003", "XML Parse schema error",
                       "<control> needs <senderid> and <controlid>.", "");
      goto out;
    }
  if (g_strcmp0 (c.dtdversion, "3.0") != 0)
    {
      control_failure (reply, &c, "XL03000003", "XML Parse schema error",
                       "Unsupported dtdversion: this gateway accepts 3.0 only.",
                       "Send <dtdversion>3.0</dtdversion>.");
      goto out;
    }
  if (g_strcmp0 (c.senderid, CB_SANDBOX_SENDER_ID) != 0 ||
      g_strcmp0 (password, CB_SANDBOX_SENDER_SECRET) != 0)
    {
      control_failure (reply, &c, "XL03000006", "",
                       "Invalid Web Services sender credentials",
                       "Check the sender ID and sender password.");
      goto out;
    }
  if (!self->sender_authorized)
    {
      g_autofree char *d2 = g_strdup_printf ("Invalid Web Services Authorization: the sender "
                                             "ID '%s' is not authorized to make Web Services "
                                             "requests to company '%s'.", c.senderid,
                                             CB_SANDBOX_COMPANY_ID);
      control_failure (reply, &c, "XL03000006", "", d2,
                       "Add the sender ID in Company > Setup > Configuration > Web Services "
                       "authorizations.");
      goto out;
    }
  /* The real reply for a company without the Web Services subscription is undocumented;
   * the sandbox uses the catch-all sign-in errorno with a text that names the cause. */
  if (!self->web_services)
    {
      g_autofree char *d2 = g_strdup_printf ("Company '%s' is not subscribed to Web Services.",
                                             CB_SANDBOX_COMPANY_ID);
      control_failure (reply, &c, "XL03000006", "", d2,
                       "Subscribe the company to Web Services in Company > Subscriptions.");
      goto out;
    }

  operation = find_child (root, "operation");
  auth = find_child (operation, "authentication");
  content = find_child (operation, "content");
  if (operation == NULL || auth == NULL)
    {
      control_failure (reply, &c, "XL03000003", "XML Parse schema error",
                       "The request needs <operation> with <authentication>.", "");
      goto out;
    }
  /* Every <function> needs a controlid and one operation element (schema). */
  for (xmlNode *f = content ? content->children : NULL; f != NULL; f = f->next)
    {
      xmlChar *cid;
      gboolean bad;

      if (f->type != XML_ELEMENT_NODE)
        continue;
      cid = xmlGetProp (f, BAD_CAST "controlid");
      bad = strcmp ((const char *) f->name, "function") != 0 || cid == NULL ||
            xmlStrlen (cid) == 0 || xmlStrlen (cid) > 256 || !has_element_children (f);
      xmlFree (cid);
      if (bad)
        {
          control_failure (reply, &c, "XL03000003", "XML Parse schema error",
                           "Every <content> child must be a <function> with a controlid "
                           "attribute (1 to 256 characters) and one operation element.", "");
          goto out;
        }
    }

  uniqueid = c.uniqueid == NULL || g_ascii_strcasecmp (c.uniqueid, "true") == 0;
  transaction = (char *) xmlGetProp (operation, BAD_CAST "transaction");
  in_transaction = transaction != NULL && g_ascii_strcasecmp (transaction, "true") == 0;
  if (c.uniqueid == NULL)
    c.uniqueid = g_strdup ("true");

  /* authentication */
  login = find_child (auth, "login");
  sid = find_child (auth, "sessionid");
  if (login != NULL)
    {
      g_autofree char *userid = child_text (login, "userid");
      g_autofree char *companyid = child_text (login, "companyid");
      g_autofree char *user_password = child_text (login, "password");
      g_autofree char *locationid = child_text (login, "locationid");

      if (g_strcmp0 (userid, CB_SANDBOX_USER_ID) != 0 ||
          g_strcmp0 (companyid, CB_SANDBOX_COMPANY_ID) != 0 ||
          g_strcmp0 (user_password, CB_SANDBOX_USER_SECRET) != 0)
        {
          auth_failure (reply, &c, userid, companyid, locationid,
                        "Sign-in information is incorrect",
                        "Check the user ID, company ID and password.");
          goto out;
        }
      if (locationid != NULL && *locationid != '\0' && !is_entity (self, locationid))
        {
          g_autofree char *d2 = g_strdup_printf ("Sign-in information is incorrect: '%s' is "
                                                 "not an entity of company '%s', or the user "
                                                 "may not sign in to it.", locationid,
                                                 companyid);
          auth_failure (reply, &c, userid, companyid, locationid, d2,
                        "Use an entity ID from readEntityDetails, or leave locationid empty "
                        "for the top level.");
          goto out;
        }
      self->login_count++;
      ctx.by_login = TRUE;
      ctx.entity = (locationid && *locationid) ? g_strdup (locationid) : NULL;
    }
  else if (sid != NULL)
    {
      g_autofree char *id = node_text (sid);
      Session *s = g_hash_table_lookup (self->sessions, id);

      if (s != NULL && session_expired (self, s))
        {
          g_hash_table_remove (self->sessions, id);
          s = NULL;
        }
      if (s == NULL)
        {
          auth_failure (reply, &c, "", "", "",
                        "Invalid session: the session has expired or does not exist",
                        "Sign in again and get a new session with getAPISession.");
          goto out;
        }
      s->last_used = g_get_monotonic_time ();
      ctx.session = s;
      ctx.entity = g_strdup (s->entity);
    }
  else
    {
      auth_failure (reply, &c, "", "", "",
                    "Sign-in information is incorrect: the request has neither <login> nor "
                    "<sessionid>.", "");
      goto out;
    }

  /* functions */
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) fn_result_free);
  pending_ids = g_ptr_array_new_with_free_func (g_free);
  cb_sb_store_log_begin (self->store);
  for (xmlNode *f = content ? content->children : NULL; f != NULL; f = f->next)
    {
      FnResult *r;
      xmlNode *op = NULL;

      if (f->type != XML_ELEMENT_NODE)
        continue;
      for (xmlNode *o = f->children; o != NULL && op == NULL; o = o->next)
        if (o->type == XML_ELEMENT_NODE)
          op = o;

      r = g_new0 (FnResult, 1);
      r->function = g_strdup ((const char *) op->name);
      r->controlid = (char *) xmlGetProp (f, BAD_CAST "controlid");
      r->errors = errors_new ();
      g_ptr_array_add (results, r);

      if (failed && in_transaction)
        {
          r->status = "aborted";
          continue;
        }
      if (uniqueid && g_hash_table_contains (self->done_controlids, r->controlid))
        {
          g_autofree char *d2 = g_strdup_printf ("The function with control ID '%s' has "
                                                 "already been executed.", r->controlid);
          cb_sb_errors_add (r->errors, "DUPLICATE_CONTROLID", "Duplicate function control ID",
                            d2, "Look the record up before sending it again.");
          r->ok = FALSE;
        }
      else
        {
          guint mark = cb_sb_store_log_mark (self->store);
          guint writes_before = ctx.writes;

          r->ok = run_function (&ctx, r->function, op, &r->data, r->errors);
          if (!r->ok)
            {
              cb_sb_store_log_rollback (self->store, mark);
              ctx.writes = writes_before;
            }
          else if (uniqueid)
            g_ptr_array_add (pending_ids, g_strdup (r->controlid));
        }
      r->status = r->ok ? "success" : "failure";
      if (!r->ok)
        failed = TRUE;
    }

  if (failed && in_transaction)
    {
      cb_sb_store_log_rollback (self->store, 0);
      ctx.writes = 0;
      for (guint i = 0; i < results->len; i++)
        {
          FnResult *r = g_ptr_array_index (results, i);

          if (r->status == NULL || strcmp (r->status, "failure") != 0)
            {
              r->status = "aborted";
              if (r->data != NULL)
                {
                  xmlFreeNode (r->data);
                  r->data = NULL;
                }
            }
          /* The rollback notice carries no Support ID, as in the SDK fixtures. */
          {
            CbSbError *e = g_new0 (CbSbError, 1);
            e->errorno = g_strdup ("XL03000009");
            e->description = g_strdup ("");
            e->description2 = g_strdup (ROLLBACK_TEXT);
            e->correction = g_strdup ("");
            g_ptr_array_add (r->errors, e);
          }
        }
    }
  else
    {
      for (guint i = 0; i < pending_ids->len; i++)
        g_hash_table_add (self->done_controlids, g_strdup (g_ptr_array_index (pending_ids, i)));
    }
  cb_sb_store_log_end (self->store);
  self->write_count += ctx.writes;

  /* reply */
  out_root = new_response (&doc, &c, "success");
  out_op = xmlNewChild (out_root, NULL, BAD_CAST "operation", NULL);
  add_auth_block (out_op, "success", CB_SANDBOX_USER_ID, CB_SANDBOX_COMPANY_ID,
                  ctx.session ? ctx.session->entity : ctx.entity, TRUE,
                  self->session_lifetime);
  for (guint i = 0; i < results->len; i++)
    {
      FnResult *r = g_ptr_array_index (results, i);
      xmlNode *rn = xmlNewChild (out_op, NULL, BAD_CAST "result", NULL);

      add_text (rn, "status", r->status);
      add_text (rn, "function", r->function);
      add_text (rn, "controlid", r->controlid);
      if (r->data != NULL)
        {
          xmlAddChild (rn, r->data);
          r->data = NULL;
        }
      if (r->errors->len > 0)
        add_errors (rn, r->errors);
    }
  serialize (doc, reply);
  xmlFreeDoc (doc);

out:
  g_free (ctx.entity);
  control_clear (&c);
  if (req != NULL)
    xmlFreeDoc (req);
}

/* ---- HTTP ------------------------------------------------------------------------------- */

static CbSandboxFault
take_fault (CbSandbox *self)
{
  FaultEntry *e;

  while ((e = g_queue_peek_head (&self->faults)) != NULL && e->count == 0)
    g_free (g_queue_pop_head (&self->faults));
  if (e == NULL)
    return CB_SANDBOX_FAULT_NONE;
  if (e->skip > 0)
    {
      e->skip--;
      return CB_SANDBOX_FAULT_NONE;
    }
  e->count--;
  {
    CbSandboxFault fault = e->fault;
    if (e->count == 0)
      g_free (g_queue_pop_head (&self->faults));
    return fault;
  }
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static gboolean
on_latency_done_cb (gpointer data)
{
  soup_server_message_unpause (SOUP_SERVER_MESSAGE (data));
  return G_SOURCE_REMOVE;
}

static void
send_reply (CbSandbox         *self,
            SoupServerMessage *msg,
            Reply             *reply,
            guint              latency_ms)
{
  soup_server_message_set_status (msg, reply->status, NULL);
  soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&reply->body), reply->length);
  if (latency_ms > 0)
    {
      g_autoptr(GSource) source = g_timeout_source_new (latency_ms);

      soup_server_message_pause (msg);
      g_source_set_callback (source, on_latency_done_cb, g_object_ref (msg), g_object_unref);
      g_source_attach (source, self->context);
    }
}

static void
plain_reply (Reply      *reply,
             guint       status,
             const char *text)
{
  reply->status = status;
  reply->body = g_strdup (text);
  reply->length = strlen (text);
  reply->content_type = "text/plain; charset=utf-8";
}

/* The gateway URL under the host name and port the caller used (its Host header). */
static char *
request_endpoint (SoupServerMessage *msg,
                  guint16            port)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  int uri_port = uri != NULL ? g_uri_get_port (uri) : -1;

  if (host == NULL || *host == '\0' || strpbrk (host, "/?#@ ") != NULL)
    return g_strdup_printf ("http://127.0.0.1:%u" XMLGW_PATH, port);
  return g_strdup_printf ("http://%s%s%s:%d" XMLGW_PATH,
                          strchr (host, ':') != NULL ? "[" : "", host,
                          strchr (host, ':') != NULL ? "]" : "",
                          uri_port > 0 ? uri_port : port);
}

static void
on_xmlgw_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  CbSandbox *self = user_data;
  SoupMessageBody *body;
  const char *content_type;
  CbSandboxFault fault;
  Reply reply = { 0 };
  guint latency;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *endpoint = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      plain_reply (&reply, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use POST.\n");
      send_reply (self, msg, &reply, 0);
      return;
    }

  g_mutex_lock (&self->mutex);
  self->request_count++;
  fault = take_fault (self);
  latency = self->latency_ms;

  content_type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  if (fault == CB_SANDBOX_FAULT_DROP_BEFORE)
    {
      g_mutex_unlock (&self->mutex);
      drop_connection (msg);
      return;
    }
  switch (fault)
    {
    case CB_SANDBOX_FAULT_HTTP_502:
      plain_reply (&reply, 502, "Bad Gateway\n");
      break;
    case CB_SANDBOX_FAULT_HTTP_503:
      plain_reply (&reply, 503, "Service Unavailable\n");
      break;
    case CB_SANDBOX_FAULT_HTTP_504:
      plain_reply (&reply, 504, "Gateway Timeout\n");
      break;
    case CB_SANDBOX_FAULT_HTTP_429:
      {
        Control c = { g_strdup (""), g_strdup (""), g_strdup ("false"), g_strdup ("3.0") };
        control_failure (&reply, &c, "GW-0010", "API rate limit exceeded",
                         "Rate limit reached: too many or too frequent requests.",
                         "Wait, then send the request again.");
        reply.status = 429;
        control_clear (&c);
      }
      break;
    default:
      if (g_strcmp0 (content_type, "application/xml") != 0 &&
          g_strcmp0 (content_type, "text/xml") != 0)
        {
          plain_reply (&reply, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                       "Send the request as application/xml.\n");
          break;
        }
      if (fault == CB_SANDBOX_FAULT_EXPIRE_SESSION)
        g_hash_table_remove_all (self->sessions);
      body = soup_server_message_get_request_body (msg);
      bytes = soup_message_body_flatten (body);
      endpoint = request_endpoint (msg, self->port);
      process_request (self, endpoint, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                       &reply);
      break;
    }
  g_mutex_unlock (&self->mutex);

  if (fault == CB_SANDBOX_FAULT_DROP_AFTER)
    {
      g_free (reply.body);
      drop_connection (msg);
      return;
    }
  if (fault == CB_SANDBOX_FAULT_HTTP_524)
    {
      g_free (reply.body);
      plain_reply (&reply, 524, "A timeout occurred\n");
    }
  if (fault == CB_SANDBOX_FAULT_MALFORMED && reply.length > 0)
    {
      /* cut inside the document: what is left cannot parse */
      reply.length = reply.length / 2;
      reply.body[reply.length] = '\0';
    }
  send_reply (self, msg, &reply, latency);
}

static void
on_status_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  CbSandbox *self = user_data;
  Reply reply = { 0 };
  g_autofree char *text = NULL;

  g_mutex_lock (&self->mutex);
  text = g_strdup_printf ("requests %u\nwrites %u\nlogins %u\nsessions %u\n",
                          self->request_count, self->write_count, self->login_count,
                          g_hash_table_size (self->sessions));
  g_mutex_unlock (&self->mutex);
  plain_reply (&reply, SOUP_STATUS_OK, text);
  send_reply (self, msg, &reply, 0);
}

static gpointer
server_thread (gpointer data)
{
  CbSandbox *self = data;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  SoupServer *server;
  GSList *uris;
  guint16 port;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  server = soup_server_new ("server-header", "Costbridge-Sandbox/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (server, XMLGW_PATH, on_xmlgw_cb, self, NULL);
  soup_server_add_handler (server, "/status", on_status_cb, self, NULL);

  g_mutex_lock (&self->mutex);
  port = self->port;
  g_mutex_unlock (&self->mutex);

  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  ok = soup_server_listen (server, address, 0, &error);
  if (ok)
    {
      uris = soup_server_get_uris (server);
      if (uris != NULL)
        port = (guint16) g_uri_get_port (uris->data);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->mutex);
  if (ok)
    {
      self->port = port;
      self->listening = TRUE;
      self->server = server;
    }
  else
    self->start_error = g_steal_pointer (&error);
  self->thread_done = !ok;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (ok)
    g_main_loop_run (self->loop);

  soup_server_disconnect (server);
  g_mutex_lock (&self->mutex);
  self->server = NULL;
  g_mutex_unlock (&self->mutex);
  g_object_unref (server);

  /* let pending sources (latency timers) go */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
cb_sandbox_dispose (GObject *object)
{
  cb_sandbox_stop (CB_SANDBOX (object));
  G_OBJECT_CLASS (cb_sandbox_parent_class)->dispose (object);
}

static void
cb_sandbox_finalize (GObject *object)
{
  CbSandbox *self = CB_SANDBOX (object);

  g_queue_clear_full (&self->faults, g_free);
  g_hash_table_unref (self->denied);
  g_hash_table_unref (self->done_controlids);
  g_hash_table_unref (self->result_sets);
  g_hash_table_unref (self->sessions);
  cb_sb_store_free (self->store);
  g_clear_error (&self->start_error);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cb_sandbox_parent_class)->finalize (object);
}

static void
cb_sandbox_class_init (CbSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_sandbox_dispose;
  object_class->finalize = cb_sandbox_finalize;
}

static void
cb_sandbox_init (CbSandbox *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->store = cb_sb_store_new ();
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) session_free);
  self->result_sets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) result_set_free);
  self->done_controlids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->denied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->faults);
  self->session_lifetime = 3600;
  self->construction = TRUE;
  self->sender_authorized = TRUE;
  self->web_services = TRUE;
  cb_sb_seed_demo_company (self->store);
}

/* ---- public API --------------------------------------------------------------------------- */

CbSandbox *
cb_sandbox_new (void)
{
  return g_object_new (CB_TYPE_SANDBOX, NULL);
}

gboolean
cb_sandbox_start (CbSandbox  *self,
                  guint16     port,
                  GError    **error)
{
  g_return_val_if_fail (CB_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->mutex);
  if (self->thread != NULL)
    {
      g_mutex_unlock (&self->mutex);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "The sandbox is already running");
      return FALSE;
    }
  self->port = port;
  self->listening = FALSE;
  self->thread_done = FALSE;
  g_clear_error (&self->start_error);
  self->thread = g_thread_new ("cb-sandbox", server_thread, self);
  while (!self->listening && !self->thread_done)
    g_cond_wait (&self->cond, &self->mutex);
  if (!self->listening)
    {
      GThread *thread = g_steal_pointer (&self->thread);

      g_propagate_error (error, g_steal_pointer (&self->start_error));
      g_mutex_unlock (&self->mutex);
      g_thread_join (thread);
      return FALSE;
    }
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

void
cb_sandbox_stop (CbSandbox *self)
{
  GThread *thread;

  g_return_if_fail (CB_IS_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  thread = g_steal_pointer (&self->thread);
  g_mutex_unlock (&self->mutex);
  if (thread == NULL)
    return;
  g_main_loop_quit (self->loop);
  g_thread_join (thread);
  g_mutex_lock (&self->mutex);
  self->listening = FALSE;
  g_mutex_unlock (&self->mutex);
}

guint16
cb_sandbox_get_port (CbSandbox *self)
{
  guint16 port;

  g_return_val_if_fail (CB_IS_SANDBOX (self), 0);
  g_mutex_lock (&self->mutex);
  port = self->listening ? self->port : 0;
  g_mutex_unlock (&self->mutex);
  return port;
}

char *
cb_sandbox_dup_endpoint (CbSandbox *self)
{
  g_return_val_if_fail (CB_IS_SANDBOX (self), NULL);
  return g_strdup_printf ("http://127.0.0.1:%u" XMLGW_PATH, cb_sandbox_get_port (self));
}

void
cb_sandbox_add_fault (CbSandbox      *self,
                      CbSandboxFault  fault,
                      guint           skip,
                      guint           count)
{
  FaultEntry *e;

  g_return_if_fail (CB_IS_SANDBOX (self));
  if (fault == CB_SANDBOX_FAULT_NONE || count == 0)
    return;
  e = g_new0 (FaultEntry, 1);
  e->fault = fault;
  e->skip = skip;
  e->count = count;
  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->faults, e);
  g_mutex_unlock (&self->mutex);
}

void
cb_sandbox_clear_faults (CbSandbox *self)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_mutex_lock (&self->mutex);
  g_queue_clear_full (&self->faults, g_free);
  g_queue_init (&self->faults);
  g_mutex_unlock (&self->mutex);
}

void
cb_sandbox_set_latency (CbSandbox *self,
                        guint      latency_ms)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_mutex_lock (&self->mutex);
  self->latency_ms = latency_ms;
  g_mutex_unlock (&self->mutex);
}

void
cb_sandbox_set_session_lifetime (CbSandbox *self,
                                 guint      seconds)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_mutex_lock (&self->mutex);
  self->session_lifetime = seconds;
  g_mutex_unlock (&self->mutex);
}

static const struct
{
  const char     *name;
  CbSandboxFault  fault;
} fault_names[] = {
  { "429", CB_SANDBOX_FAULT_HTTP_429 },
  { "502", CB_SANDBOX_FAULT_HTTP_502 },
  { "503", CB_SANDBOX_FAULT_HTTP_503 },
  { "504", CB_SANDBOX_FAULT_HTTP_504 },
  { "524", CB_SANDBOX_FAULT_HTTP_524 },
  { "drop-before", CB_SANDBOX_FAULT_DROP_BEFORE },
  { "drop-after", CB_SANDBOX_FAULT_DROP_AFTER },
  { "malformed", CB_SANDBOX_FAULT_MALFORMED },
  { "expire", CB_SANDBOX_FAULT_EXPIRE_SESSION },
};

gboolean
cb_sandbox_configure_faults (CbSandbox   *self,
                             const char  *spec,
                             GError     **error)
{
  g_auto(GStrv) items = NULL;
  g_autoptr(GArray) parsed = g_array_new (FALSE, FALSE, sizeof (FaultEntry));
  gint64 latency = -1;

  g_return_val_if_fail (CB_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (spec == NULL)
    return TRUE;
  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      g_auto(GStrv) kv = NULL;
      g_auto(GStrv) count_skip = NULL;
      guint64 count, skip = 0;
      const char *name;
      gboolean known = FALSE;

      if (*item == '\0')
        continue;
      kv = g_strsplit (item, "=", 2);
      if (kv[1] == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Fault spec item “%s” has no “=”", item);
          return FALSE;
        }
      name = g_strstrip (kv[0]);
      if (strcmp (name, "latency") == 0)
        {
          guint64 ms;
          if (!g_ascii_string_to_unsigned (g_strstrip (kv[1]), 10, 0, 600000, &ms, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Latency “%s” is not a number of milliseconds", kv[1]);
              return FALSE;
            }
          latency = (gint64) ms;
          continue;
        }
      count_skip = g_strsplit (g_strstrip (kv[1]), "@", 2);
      if (!g_ascii_string_to_unsigned (count_skip[0], 10, 0, G_MAXUINT, &count, NULL) ||
          (count_skip[1] != NULL &&
           !g_ascii_string_to_unsigned (count_skip[1], 10, 0, G_MAXUINT, &skip, NULL)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Fault spec item “%s” is not name=count[@skip]", item);
          return FALSE;
        }
      for (guint k = 0; k < G_N_ELEMENTS (fault_names); k++)
        if (strcmp (name, fault_names[k].name) == 0)
          {
            FaultEntry e = { fault_names[k].fault, (guint) skip, (guint) count };
            g_array_append_val (parsed, e);
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown fault “%s” (known: latency, 429, 502, 503, 504, 524, "
                       "drop-before, drop-after, malformed, expire)", name);
          return FALSE;
        }
    }

  /* all or nothing: apply only a spec that parsed completely */
  if (latency >= 0)
    cb_sandbox_set_latency (self, (guint) latency);
  for (guint i = 0; i < parsed->len; i++)
    {
      FaultEntry *e = &g_array_index (parsed, FaultEntry, i);
      cb_sandbox_add_fault (self, e->fault, e->skip, e->count);
    }
  return TRUE;
}

void
cb_sandbox_deny_permission (CbSandbox  *self,
                            const char *object,
                            const char *operation)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_return_if_fail (object != NULL && operation != NULL);
  g_mutex_lock (&self->mutex);
  g_hash_table_add (self->denied, g_strdup_printf ("%s:%s", object, operation));
  g_mutex_unlock (&self->mutex);
}

void
cb_sandbox_set_construction_subscribed (CbSandbox *self,
                                        gboolean   subscribed)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_mutex_lock (&self->mutex);
  self->construction = !!subscribed;
  g_mutex_unlock (&self->mutex);
}

void
cb_sandbox_set_sender_authorized (CbSandbox *self,
                                  gboolean   authorized)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_mutex_lock (&self->mutex);
  self->sender_authorized = !!authorized;
  g_mutex_unlock (&self->mutex);
}

void
cb_sandbox_set_web_services_subscribed (CbSandbox *self,
                                        gboolean   subscribed)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_mutex_lock (&self->mutex);
  self->web_services = !!subscribed;
  g_mutex_unlock (&self->mutex);
}

#define COUNTER_GETTER(fn, field)              \
  guint                                        \
  fn (CbSandbox *self)                         \
  {                                            \
    guint v;                                   \
    g_return_val_if_fail (CB_IS_SANDBOX (self), 0); \
    g_mutex_lock (&self->mutex);               \
    v = self->field;                           \
    g_mutex_unlock (&self->mutex);             \
    return v;                                  \
  }

COUNTER_GETTER (cb_sandbox_get_request_count, request_count)
COUNTER_GETTER (cb_sandbox_get_write_count, write_count)
COUNTER_GETTER (cb_sandbox_get_login_count, login_count)

void
cb_sandbox_reset_counters (CbSandbox *self)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_mutex_lock (&self->mutex);
  self->request_count = 0;
  self->write_count = 0;
  self->login_count = 0;
  g_mutex_unlock (&self->mutex);
}

guint
cb_sandbox_count_records (CbSandbox  *self,
                          const char *object,
                          const char *field,
                          const char *value)
{
  CbSbTable *table;
  guint n = 0;

  g_return_val_if_fail (CB_IS_SANDBOX (self), 0);
  g_return_val_if_fail (object != NULL, 0);

  g_mutex_lock (&self->mutex);
  table = cb_sb_store_table (self->store, object);
  if (table != NULL)
    {
      if (field == NULL)
        n = table->records->len;
      else
        for (guint i = 0; i < table->records->len; i++)
          if (g_strcmp0 (cb_sb_record_get (g_ptr_array_index (table->records, i), field),
                         value) == 0)
            n++;
    }
  g_mutex_unlock (&self->mutex);
  return n;
}

void
cb_sandbox_add_generated_vendors (CbSandbox *self,
                                  guint      n)
{
  g_return_if_fail (CB_IS_SANDBOX (self));
  g_mutex_lock (&self->mutex);
  cb_sb_seed_generated_vendors (self->store, self->generated_vendors + 1, n);
  self->generated_vendors += n;
  g_mutex_unlock (&self->mutex);
}
