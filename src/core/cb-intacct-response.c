/* cb-intacct-response.c: reading Intacct XML gateway replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replies are parsed with network access off and without entity substitution. A reply
 * that declares any entity in a DTD is refused outright: the gateway has no reason to
 * send one, and it is how "billion laughs" documents work. The parser stops at the
 * first declaration, before any entity could be expanded.
 */

#define G_LOG_DOMAIN "cb-intacct-response"

#include "config.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cb-intacct-response.h"

#define ROLLBACK_ERRORNO "XL03000009"
#define EXCERPT_LENGTH 80

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

/* Helpers over libxml2 trees */

static gboolean
is_element (xmlNodePtr  node,
            const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         (name == NULL || strcmp ((const char *) node->name, name) == 0);
}

static xmlNodePtr
find_child (xmlNodePtr  parent,
            const char *name)
{
  if (parent == NULL)
    return NULL;
  for (xmlNodePtr n = parent->children; n != NULL; n = n->next)
    if (is_element (n, name))
      return n;
  return NULL;
}

/* The text of an element ("" when empty), or NULL for a missing element. */
static char *
dup_text (xmlNodePtr node)
{
  xmlChar *content;
  char *text;

  if (node == NULL)
    return NULL;
  content = xmlNodeGetContent (node);
  text = g_strdup (content != NULL ? (const char *) content : "");
  xmlFree (content);
  return text;
}

/* Envelope values (status, function, controlid…) with surrounding whitespace removed,
 * in case the gateway pretty-prints with includewhitespace=true. */
static char *
dup_child_text (xmlNodePtr  parent,
                const char *name)
{
  char *text = dup_text (find_child (parent, name));

  return text != NULL ? g_strstrip (text) : NULL;
}

static char *
dup_attribute (xmlNodePtr  node,
               const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static gint64
get_count_attribute (xmlNodePtr  node,
                     const char *name)
{
  g_autofree char *text = dup_attribute (node, name);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (g_strstrip (text), 10, 0, G_MAXINT64, &value, NULL))
    return -1;
  return value;
}

static gboolean
has_element_children (xmlNodePtr node)
{
  for (xmlNodePtr n = node->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE)
      return TRUE;
  return FALSE;
}

/* An element as a record: element children become child records (text between them,
 * which is only indentation, and comments are dropped), a leaf keeps its text as is. */
static CbIntacctRecord *
record_from_node (xmlNodePtr node)
{
  CbIntacctRecord *record = cb_intacct_record_new ((const char *) node->name);

  for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
    {
      xmlChar *value = xmlNodeListGetString (node->doc, a->children, 1);
      cb_intacct_record_set_attribute (record, (const char *) a->name,
                                       value != NULL ? (const char *) value : "");
      xmlFree (value);
    }

  if (has_element_children (node))
    {
      for (xmlNodePtr n = node->children; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
          cb_intacct_record_append (record, record_from_node (n));
    }
  else
    {
      g_autofree char *text = dup_text (node);
      cb_intacct_record_set_value (record, text);
    }
  return record;
}

static GPtrArray *
parse_errors (xmlNodePtr errormessage)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_error_entry_free);

  if (errormessage == NULL)
    return entries;
  for (xmlNodePtr n = errormessage->children; n != NULL; n = n->next)
    {
      g_autofree char *errorno = NULL;
      g_autofree char *description = NULL;
      g_autofree char *description2 = NULL;
      g_autofree char *correction = NULL;

      if (!is_element (n, "error"))
        continue;
      errorno = dup_text (find_child (n, "errorno"));
      description = dup_text (find_child (n, "description"));
      description2 = dup_text (find_child (n, "description2"));
      correction = dup_text (find_child (n, "correction"));
      g_ptr_array_add (entries, cb_intacct_error_entry_new (errorno, description, description2, correction));
    }
  return entries;
}

CbIntacctResult *
cb_intacct_result_copy (const CbIntacctResult *src)
{
  CbIntacctResult *copy = g_new0 (CbIntacctResult, 1);

  copy->status = g_strdup (src->status);
  copy->function = g_strdup (src->function);
  copy->control_id = g_strdup (src->control_id);
  copy->key = g_strdup (src->key);
  copy->list_type = g_strdup (src->list_type);
  copy->has_data = src->has_data;
  copy->count = src->count;
  copy->total_count = src->total_count;
  copy->num_remaining = src->num_remaining;
  copy->offset = src->offset;
  copy->result_id = g_strdup (src->result_id);
  copy->data = src->data != NULL ? cb_intacct_record_ref (src->data) : NULL;
  copy->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  for (guint i = 0; src->records != NULL && i < src->records->len; i++)
    g_ptr_array_add (copy->records, cb_intacct_record_ref (g_ptr_array_index (src->records, i)));
  copy->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_error_entry_free);
  for (guint i = 0; src->errors != NULL && i < src->errors->len; i++)
    g_ptr_array_add (copy->errors, cb_intacct_error_entry_copy (g_ptr_array_index (src->errors, i)));
  return copy;
}

void
cb_intacct_result_free (CbIntacctResult *result)
{
  if (result == NULL)
    return;
  g_free (result->status);
  g_free (result->function);
  g_free (result->control_id);
  g_free (result->key);
  g_free (result->list_type);
  g_free (result->result_id);
  g_clear_pointer (&result->data, cb_intacct_record_unref);
  g_clear_pointer (&result->records, g_ptr_array_unref);
  g_clear_pointer (&result->errors, g_ptr_array_unref);
  g_free (result);
}

static CbIntacctResult *
parse_result (xmlNodePtr node)
{
  CbIntacctResult *result = g_new0 (CbIntacctResult, 1);
  xmlNodePtr data = find_child (node, "data");
  xmlNodePtr listtype = find_child (node, "listtype");

  result->status = dup_child_text (node, "status");
  result->function = dup_child_text (node, "function");
  result->control_id = dup_child_text (node, "controlid");
  result->key = dup_child_text (node, "key");
  result->records = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  result->errors = parse_errors (find_child (node, "errormessage"));
  result->count = result->total_count = result->num_remaining = result->offset = -1;

  if (data != NULL)
    {
      result->has_data = TRUE;
      result->count = get_count_attribute (data, "count");
      result->total_count = get_count_attribute (data, "totalcount");
      result->num_remaining = get_count_attribute (data, "numremaining");
      result->offset = get_count_attribute (data, "offset");
      result->result_id = dup_attribute (data, "resultId");
      result->list_type = dup_attribute (data, "listtype");
      result->data = record_from_node (data);
      for (guint i = 0; i < cb_intacct_record_get_n_children (result->data); i++)
        g_ptr_array_add (result->records,
                         cb_intacct_record_ref (cb_intacct_record_get_nth_child (result->data, i)));
    }

  /* Legacy get_list: <listtype start=".." end=".." total="..">vendor</listtype>. */
  if (result->list_type == NULL && listtype != NULL)
    result->list_type = g_strstrip (dup_text (listtype));

  return result;
}

/* Parsing */

typedef struct
{
  gboolean saw_entity;
} ParseGuard;

static void
on_entity_decl_cb (void          *ctx,
                   const xmlChar *name,
                   int            type,
                   const xmlChar *public_id,
                   const xmlChar *system_id,
                   xmlChar       *content)
{
  xmlParserCtxtPtr ctxt = ctx;
  ParseGuard *guard = ctxt->_private;

  guard->saw_entity = TRUE;
  xmlStopParser (ctxt);
}

static char *
make_excerpt (const char *data,
              gsize       length)
{
  g_autofree char *valid = g_utf8_make_valid (data, MIN (length, 4 * EXCERPT_LENGTH));
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  guint n = 0;

  for (const char *p = valid; *p != '\0' && n < EXCERPT_LENGTH; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          n++;
          space = FALSE;
        }
      g_string_append_unichar (out, c);
      n++;
    }
  if (n >= EXCERPT_LENGTH)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static gboolean
looks_like_xml (const char *data,
                gsize       length)
{
  gsize i = 0;

  /* A UTF-8 byte order mark, then whitespace, then '<'. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return i < length && data[i] == '<';
}

static void
set_malformed (GError    **error,
               const char *message)
{
  cb_intacct_set_error (error, CB_INTACCT_ERROR_MALFORMED_REPLY, CB_INTACCT_LEVEL_TRANSPORT,
                        0, NULL, NULL, message);
}

static xmlDocPtr
read_document (const char  *data,
               gsize        length,
               GError     **error)
{
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  ParseGuard guard = { FALSE };
  g_autofree char *excerpt = NULL;
  g_autofree char *message = NULL;

  if (data == NULL || length == 0)
    {
      set_malformed (error, "The reply from Intacct was empty.");
      return NULL;
    }
  if (length > G_MAXINT)
    {
      set_malformed (error, "The reply from Intacct is too large to read.");
      return NULL;
    }

  excerpt = make_excerpt (data, length);
  if (!looks_like_xml (data, length))
    {
      message = g_strdup_printf ("The reply from Intacct is not XML: “%s”", excerpt);
      set_malformed (error, message);
      return NULL;
    }

  ensure_libxml_initialized ();
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      set_malformed (error, "Could not start reading the reply from Intacct.");
      return NULL;
    }
  ctxt->_private = &guard;
  ctxt->sax->entityDecl = on_entity_decl_cb;

  /* Network off; no XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_DTDATTR. */
  doc = xmlCtxtReadMemory (ctxt, data, (int) length, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                           XML_PARSE_NOCDATA);

  if (guard.saw_entity)
    {
      message = g_strdup ("The reply from Intacct declares XML entities, which is refused.");
    }
  else if (doc == NULL || !ctxt->wellFormed)
    {
      const xmlError *e = xmlCtxtGetLastError (ctxt);
      g_autofree char *reason = g_strdup (e != NULL && e->message != NULL ? e->message : "unknown error");

      g_strstrip (reason);
      message = g_strdup_printf ("The reply from Intacct is not well-formed XML (%s, line %d): “%s”",
                                 reason, e != NULL ? e->line : 0, excerpt);
    }
  else if (doc->intSubset != NULL &&
           (doc->intSubset->entities != NULL || doc->intSubset->pentities != NULL))
    {
      message = g_strdup ("The reply from Intacct declares XML entities, which is refused.");
    }

  ctxt->_private = NULL;
  xmlFreeParserCtxt (ctxt);

  if (message != NULL)
    {
      g_clear_pointer (&doc, xmlFreeDoc);
      set_malformed (error, message);
      return NULL;
    }
  return doc;
}

CbIntacctResponse *
cb_intacct_response_parse (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(CbIntacctResponse) self = NULL;
  xmlDocPtr doc;
  xmlNodePtr root, control, acknowledgement, operation;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = read_document (data, length, error);
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  if (!is_element (root, "response"))
    {
      g_autofree char *message =
        g_strdup_printf ("The reply from Intacct is not a response document (its root is <%s>).",
                         root != NULL ? (const char *) root->name : "nothing");
      xmlFreeDoc (doc);
      set_malformed (error, message);
      return NULL;
    }

  control = find_child (root, "control");
  if (control == NULL || find_child (control, "status") == NULL)
    {
      xmlFreeDoc (doc);
      set_malformed (error, control == NULL
                            ? "The reply from Intacct has no control block."
                            : "The reply from Intacct has no control status.");
      return NULL;
    }

  self = g_new0 (CbIntacctResponse, 1);

  acknowledgement = find_child (root, "acknowledgement");
  if (acknowledgement != NULL)
    {
      self->is_acknowledgement = TRUE;
      self->acknowledgement_status = dup_child_text (acknowledgement, "status");
    }

  self->control_status = dup_child_text (control, "status");
  self->sender_id = dup_child_text (control, "senderid");
  self->control_id = dup_child_text (control, "controlid");
  self->unique_id = dup_child_text (control, "uniqueid");
  self->dtd_version = dup_child_text (control, "dtdversion");
  self->control_errors = parse_errors (find_child (root, "errormessage"));

  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_result_free);
  operation = find_child (root, "operation");
  if (operation != NULL)
    {
      xmlNodePtr auth = find_child (operation, "authentication");

      self->has_operation = TRUE;
      if (auth != NULL)
        {
          self->has_authentication = TRUE;
          self->auth_status = dup_child_text (auth, "status");
          self->user_id = dup_child_text (auth, "userid");
          self->company_id = dup_child_text (auth, "companyid");
          self->location_id = dup_child_text (auth, "locationid");
          self->session_timestamp = dup_child_text (auth, "sessiontimestamp");
          self->session_timeout = dup_child_text (auth, "sessiontimeout");
        }
      self->auth_errors = parse_errors (find_child (operation, "errormessage"));

      for (xmlNodePtr n = operation->children; n != NULL; n = n->next)
        if (is_element (n, "result"))
          g_ptr_array_add (self->results, parse_result (n));
    }
  else
    {
      self->auth_errors = parse_errors (NULL);
    }

  xmlFreeDoc (doc);
  return g_steal_pointer (&self);
}

void
cb_intacct_response_free (CbIntacctResponse *self)
{
  if (self == NULL)
    return;
  g_free (self->acknowledgement_status);
  g_free (self->control_status);
  g_free (self->sender_id);
  g_free (self->control_id);
  g_free (self->unique_id);
  g_free (self->dtd_version);
  g_clear_pointer (&self->control_errors, g_ptr_array_unref);
  g_free (self->auth_status);
  g_free (self->user_id);
  g_free (self->company_id);
  g_free (self->location_id);
  g_free (self->session_timestamp);
  g_free (self->session_timeout);
  g_clear_pointer (&self->auth_errors, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_free (self);
}

/* Classification */

static gboolean
eq (const char *a,
    const char *b)
{
  return a != NULL && g_ascii_strcasecmp (a, b) == 0;
}

/* Every text of an entry, lower case, for text matching. */
static char *
entry_haystack (const CbIntacctErrorEntry *entry)
{
  g_autofree char *joined = g_strjoin (" ",
                                       entry->errorno != NULL ? entry->errorno : "",
                                       entry->description != NULL ? entry->description : "",
                                       entry->description2 != NULL ? entry->description2 : "",
                                       entry->correction != NULL ? entry->correction : "",
                                       NULL);
  return g_utf8_strdown (joined, -1);
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return strstr (haystack, needle) != NULL;
}

static gboolean
mentions_entity_problem (const char *text)
{
  if (!contains (text, "entity") && !contains (text, "location"))
    return FALSE;
  return contains (text, "not accessible") || contains (text, "inaccessible") ||
         contains (text, "invalid") || contains (text, "not valid") ||
         contains (text, "does not exist") || contains (text, "not found") ||
         contains (text, "no access") || contains (text, "not authorized") ||
         contains (text, "cannot access");
}

/* XL03000006 covers every kind of sign-in trouble: tell them apart by the text. */
static CbIntacctErrorCode
classify_sign_in (const char *text,
                  gboolean    control_level)
{
  if (contains (text, "transport policy"))
    return CB_INTACCT_ERROR_INVALID_REQUEST;
  if (contains (text, "authorization") || contains (text, "sender"))
    return CB_INTACCT_ERROR_SENDER_NOT_AUTHORIZED;
  if (!control_level && mentions_entity_problem (text))
    return CB_INTACCT_ERROR_ENTITY_NOT_ACCESSIBLE;
  return CB_INTACCT_ERROR_AUTH_FAILED;
}

static CbIntacctErrorCode
classify_control_entry (const CbIntacctErrorEntry *entry)
{
  g_autofree char *text = entry_haystack (entry);
  const char *no = entry->errorno;

  if (eq (no, "XL03000006"))
    return classify_sign_in (text, TRUE);
  if (eq (no, "XMLGW_JPP0002"))
    return CB_INTACCT_ERROR_AUTH_FAILED;
  if (eq (no, "GW-0010"))
    return CB_INTACCT_ERROR_RATE_LIMITED;
  if (eq (no, "XL03000003") || eq (no, "GW-0011"))
    return CB_INTACCT_ERROR_INVALID_REQUEST;
  if (eq (no, "PL04000055"))
    return CB_INTACCT_ERROR_COMPANY_UNAVAILABLE;

  if (contains (text, "rate limit"))
    return CB_INTACCT_ERROR_RATE_LIMITED;
  if (contains (text, "temporarily off-line") || contains (text, "temporarily offline"))
    return CB_INTACCT_ERROR_COMPANY_UNAVAILABLE;
  if (contains (text, "sign-in information is incorrect"))
    return CB_INTACCT_ERROR_AUTH_FAILED;
  return CB_INTACCT_ERROR_OTHER;
}

static CbIntacctErrorCode
classify_auth_entry (const CbIntacctErrorEntry *entry)
{
  g_autofree char *text = entry_haystack (entry);

  if (eq (entry->errorno, "XL03000006"))
    return classify_sign_in (text, FALSE);
  if (mentions_entity_problem (text))
    return CB_INTACCT_ERROR_ENTITY_NOT_ACCESSIBLE;
  if (contains (text, "sign-in information is incorrect"))
    return CB_INTACCT_ERROR_AUTH_FAILED;
  return CB_INTACCT_ERROR_OTHER;
}

static CbIntacctErrorCode
classify_result_entry (const CbIntacctErrorEntry *entry)
{
  g_autofree char *text = entry_haystack (entry);
  const char *no = entry->errorno;

  if (eq (no, "BL34000061"))
    return CB_INTACCT_ERROR_DUPLICATE;
  if (eq (no, "DUPLICATE_CONTROLID"))
    return CB_INTACCT_ERROR_ALREADY_EXECUTED;
  if (eq (no, "BL03000025"))
    return CB_INTACCT_ERROR_NOT_FOUND;

  if (contains (text, "already been executed"))
    return CB_INTACCT_ERROR_ALREADY_EXECUTED;
  if (contains (text, "already exists"))
    return CB_INTACCT_ERROR_DUPLICATE;
  if (contains (text, "permission"))
    return CB_INTACCT_ERROR_PERMISSION_DENIED;
  if (contains (text, "not subscribed") || contains (text, "subscription"))
    return CB_INTACCT_ERROR_NOT_SUBSCRIBED;
  if (contains (text, "object definition") && contains (text, "not found"))
    return CB_INTACCT_ERROR_NOT_FOUND;
  if (contains (text, "cannot find") || contains (text, "non-existing") ||
      contains (text, "does not exist") || contains (text, "not found") ||
      contains (text, "invalid or expired resultid"))
    return CB_INTACCT_ERROR_NOT_FOUND;
  return CB_INTACCT_ERROR_OTHER;
}

static gboolean
is_rollback_entry (const CbIntacctErrorEntry *entry)
{
  return eq (entry->errorno, ROLLBACK_ERRORNO);
}

CbIntacctErrorCode
cb_intacct_classify_errors (CbIntacctErrorLevel  level,
                            GPtrArray           *entries,
                            gboolean             session_auth)
{
  guint n_own = 0;

  if (level == CB_INTACCT_LEVEL_AUTHENTICATION && session_auth)
    return CB_INTACCT_ERROR_SESSION_INVALID;
  if (entries == NULL)
    return CB_INTACCT_ERROR_OTHER;

  if (level == CB_INTACCT_LEVEL_RESULT)
    {
      /* Only rollback notices: this function was undone because another one failed.
       * Its own error next to the notice is the one that counts. */
      for (guint i = 0; i < entries->len; i++)
        if (!is_rollback_entry (g_ptr_array_index (entries, i)))
          n_own++;
      if (entries->len > 0 && n_own == 0)
        return CB_INTACCT_ERROR_ROLLED_BACK;
    }

  /* The first entry is usually the root cause: the first one that says something
   * specific decides. */
  for (guint i = 0; i < entries->len; i++)
    {
      const CbIntacctErrorEntry *entry = g_ptr_array_index (entries, i);
      CbIntacctErrorCode code = CB_INTACCT_ERROR_OTHER;

      switch (level)
        {
        case CB_INTACCT_LEVEL_CONTROL:
        case CB_INTACCT_LEVEL_TRANSPORT:
          code = classify_control_entry (entry);
          break;
        case CB_INTACCT_LEVEL_AUTHENTICATION:
          code = classify_auth_entry (entry);
          break;
        case CB_INTACCT_LEVEL_RESULT:
          if (is_rollback_entry (entry))
            continue;
          code = classify_result_entry (entry);
          break;
        default:
          break;
        }
      if (code != CB_INTACCT_ERROR_OTHER)
        return code;
    }
  return CB_INTACCT_ERROR_OTHER;
}

/* Messages */

static const char *
message_prefix (CbIntacctErrorCode code)
{
  switch (code)
    {
    case CB_INTACCT_ERROR_AUTH_FAILED:
      return "Intacct refused the sign-in";
    case CB_INTACCT_ERROR_SENDER_NOT_AUTHORIZED:
      return "Intacct did not accept the Web Services sender for this company";
    case CB_INTACCT_ERROR_PERMISSION_DENIED:
      return "The Intacct user lacks a permission";
    case CB_INTACCT_ERROR_NOT_SUBSCRIBED:
      return "The Intacct company is not subscribed to a module this needs";
    case CB_INTACCT_ERROR_ENTITY_NOT_ACCESSIBLE:
      return "The Intacct entity cannot be opened";
    case CB_INTACCT_ERROR_RATE_LIMITED:
      return "Intacct is limiting how many requests it accepts";
    case CB_INTACCT_ERROR_SESSION_INVALID:
      return "The Intacct session is no longer valid";
    case CB_INTACCT_ERROR_DUPLICATE:
      return "A record with the same ID already exists in Intacct";
    case CB_INTACCT_ERROR_ALREADY_EXECUTED:
      return "Intacct has already run this change";
    case CB_INTACCT_ERROR_NOT_FOUND:
      return "Intacct could not find the record or object";
    case CB_INTACCT_ERROR_ROLLED_BACK:
      return "Intacct rolled this change back because part of the same transaction failed";
    case CB_INTACCT_ERROR_INVALID_REQUEST:
      return "Intacct rejected the request";
    case CB_INTACCT_ERROR_MALFORMED_REPLY:
      return "The reply from Intacct could not be understood";
    case CB_INTACCT_ERROR_COMPANY_UNAVAILABLE:
      return "The Intacct company is not available";
    case CB_INTACCT_ERROR_OUTCOME_UNKNOWN:
    case CB_INTACCT_ERROR_NETWORK:
    case CB_INTACCT_ERROR_TLS:
    case CB_INTACCT_ERROR_SERVER:
    case CB_INTACCT_ERROR_ENDPOINT_REFUSED:
    case CB_INTACCT_ERROR_OTHER:
    default:
      return "Intacct reported an error";
    }
}

/* description2 without its "[Support ID: …]" part, which is shown on its own. */
static char *
clean_without_support_id (const char *text)
{
  g_autofree char *copy = g_strdup (text);
  char *start;

  if (copy == NULL)
    return NULL;
  start = strstr (copy, "[Support ID:");
  if (start != NULL)
    {
      char *end = strchr (start, ']');
      memmove (start, end != NULL ? end + 1 : start + strlen (start),
               strlen (end != NULL ? end + 1 : start + strlen (start)) + 1);
    }
  return cb_intacct_clean_text (copy);
}

static void
append_sentence (GString    *out,
                 const char *text)
{
  gsize len;

  if (text == NULL || *text == '\0')
    return;
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
  len = out->len;
  if (len > 0 && strchr (".!?", out->str[len - 1]) == NULL)
    g_string_append_c (out, '.');
}

static char *
entry_sentence (const CbIntacctErrorEntry *entry)
{
  GString *out = g_string_new (NULL);
  g_autofree char *d2 = clean_without_support_id (entry->description2);
  g_autofree char *d1 = cb_intacct_clean_text (entry->description);
  g_autofree char *correction = cb_intacct_clean_text (entry->correction);
  g_autofree char *errorno = cb_intacct_clean_text (entry->errorno);

  /* description is often empty or a one-word title ("Error"); say it only when it
   * tells something description2 does not. */
  if (d1 != NULL && strchr (d1, ' ') != NULL && (d2 == NULL || strstr (d2, d1) == NULL))
    append_sentence (out, d1);
  append_sentence (out, d2);
  if (out->len == 0)
    append_sentence (out, d1);
  if (out->len == 0)
    append_sentence (out, errorno);
  if (correction != NULL && g_strcmp0 (correction, d2) != 0)
    append_sentence (out, correction);
  return g_string_free (out, FALSE);
}

static char *
build_message (CbIntacctErrorCode  code,
               GPtrArray          *entries,
               const char         *fallback)
{
  const CbIntacctErrorEntry *entry = NULL;
  g_autofree char *sentence = NULL;
  GString *out = g_string_new (message_prefix (code));

  /* The first entry that is not a rollback notice says what went wrong. */
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const CbIntacctErrorEntry *e = g_ptr_array_index (entries, i);

      if (entry == NULL)
        entry = e;
      if (!is_rollback_entry (e))
        {
          entry = e;
          break;
        }
    }

  if (entry != NULL)
    sentence = entry_sentence (entry);
  if (sentence != NULL && *sentence != '\0')
    g_string_append_printf (out, ": %s", sentence);
  else
    g_string_append_printf (out, ": %s", fallback);
  if (entry != NULL && entry->support_id != NULL)
    g_string_append_printf (out, " (Support ID: %s)", entry->support_id);
  return g_string_free (out, FALSE);
}

static gboolean
set_classified (GError              **error,
                CbIntacctErrorCode    code,
                CbIntacctErrorLevel   level,
                const char           *control_id,
                GPtrArray            *entries,
                const char           *fallback)
{
  g_autofree char *message = build_message (code, entries, fallback);

  cb_intacct_set_error (error, code, level, 0, control_id, entries, message);
  return FALSE;
}

static gboolean
set_structure_error (GError    **error,
                     const char *what)
{
  g_autofree char *message = g_strdup_printf ("The reply from Intacct is incomplete: %s.", what);

  cb_intacct_set_error (error, CB_INTACCT_ERROR_MALFORMED_REPLY, CB_INTACCT_LEVEL_TRANSPORT,
                        0, NULL, NULL, message);
  return FALSE;
}

gboolean
cb_intacct_response_check (const CbIntacctResponse  *self,
                           gboolean                  session_auth,
                           GError                  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Level 1: nothing ran. */
  if (g_strcmp0 (self->control_status, "success") != 0)
    {
      CbIntacctErrorCode code = cb_intacct_classify_errors (CB_INTACCT_LEVEL_CONTROL,
                                                            self->control_errors, FALSE);
      return set_classified (error, code, CB_INTACCT_LEVEL_CONTROL, NULL, self->control_errors,
                             "the request was not accepted.");
    }

  /* An asynchronous (policyid) submission is only acknowledged. */
  if (self->is_acknowledgement)
    {
      if (g_strcmp0 (self->acknowledgement_status, "success") != 0)
        return set_classified (error, CB_INTACCT_ERROR_OTHER, CB_INTACCT_LEVEL_CONTROL, NULL,
                               self->control_errors, "the submission was not acknowledged.");
      return TRUE;
    }

  if (!self->has_operation)
    return set_structure_error (error, "it has no operation block");
  if (!self->has_authentication)
    return set_structure_error (error, "it has no authentication block");
  if (self->auth_status == NULL)
    return set_structure_error (error, "the authentication block has no status");
  if (self->user_id == NULL)
    return set_structure_error (error, "the authentication block has no user ID");
  if (self->company_id == NULL)
    return set_structure_error (error, "the authentication block has no company ID");
  for (guint i = 0; i < self->results->len; i++)
    {
      const CbIntacctResult *result = g_ptr_array_index (self->results, i);

      if (result->status == NULL)
        return set_structure_error (error, "a result has no status");
      if (result->function == NULL)
        return set_structure_error (error, "a result has no function name");
      if (result->control_id == NULL)
        return set_structure_error (error, "a result has no control ID");
    }

  /* Level 2: no function ran. */
  if (g_strcmp0 (self->auth_status, "success") != 0)
    {
      CbIntacctErrorCode code = cb_intacct_classify_errors (CB_INTACCT_LEVEL_AUTHENTICATION,
                                                            self->auth_errors, session_auth);
      return set_classified (error, code, CB_INTACCT_LEVEL_AUTHENTICATION, NULL, self->auth_errors,
                             "the sign-in failed.");
    }
  return TRUE;
}

CbIntacctResult *
cb_intacct_response_find_result (const CbIntacctResponse *self,
                                 const char              *control_id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (control_id != NULL, NULL);

  for (guint i = 0; self->results != NULL && i < self->results->len; i++)
    {
      CbIntacctResult *result = g_ptr_array_index (self->results, i);

      if (g_strcmp0 (result->control_id, control_id) == 0)
        return result;
    }
  return NULL;
}

gboolean
cb_intacct_result_check (const CbIntacctResult  *self,
                         GError                **error)
{
  CbIntacctErrorCode code;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (self->status, "success") == 0)
    return TRUE;

  if (g_strcmp0 (self->status, "aborted") == 0)
    code = CB_INTACCT_ERROR_ROLLED_BACK;
  else
    code = cb_intacct_classify_errors (CB_INTACCT_LEVEL_RESULT, self->errors, FALSE);
  return set_classified (error, code, CB_INTACCT_LEVEL_RESULT, self->control_id, self->errors,
                         "the function failed.");
}

/* Dates */

static gboolean
matches_pattern (const char *text,
                 const char *pattern)
{
  /* '9' stands for a digit; everything else must match exactly. */
  for (; *pattern != '\0'; pattern++, text++)
    {
      if (*text == '\0')
        return FALSE;
      if (*pattern == '9' ? !g_ascii_isdigit (*text) : *text != *pattern)
        return FALSE;
    }
  return *text == '\0';
}

static int
digits (const char *text,
        guint       n)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    value = value * 10 + (text[i] - '0');
  return value;
}

GDateTime *
cb_intacct_parse_datetime (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;

  /* "MM/DD/YYYY HH:MM:SS" or "MM/DD/YYYY", as the gateway writes record dates (UTC). */
  if (matches_pattern (text, "99/99/9999 99:99:99"))
    return g_date_time_new_utc (digits (text + 6, 4), digits (text, 2), digits (text + 3, 2),
                                digits (text + 11, 2), digits (text + 14, 2),
                                digits (text + 17, 2));
  if (matches_pattern (text, "99/99/9999"))
    return g_date_time_new_utc (digits (text + 6, 4), digits (text, 2), digits (text + 3, 2),
                                0, 0, 0);

  /* ISO 8601, as in sessiontimestamp; without an offset it is taken as UTC. */
  if (g_ascii_isdigit (text[0]) && strchr (text, 'T') != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      return g_date_time_new_from_iso8601 (text, utc);
    }
  return NULL;
}
