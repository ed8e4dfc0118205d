/* cb-intacct-pager.c: paging through Intacct records as an iterator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * readByQuery hands out a resultId to continue with readMore until numremaining is 0
 * (REFERENCE.md §4.2); query is a fresh query per page, moved on with offset and kept
 * stable by ordering on RECORDNO (§4.4). A resultId expires: when readMore fails, the
 * error goes to the caller, who starts again with a new pager.
 */

#define G_LOG_DOMAIN "cb-intacct-pager"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-intacct-pager.h"

#define READ_BY_QUERY_MAX_PAGE 1000
#define QUERY_MAX_PAGE         2000

struct _CbIntacctPager
{
  GObject          parent_instance;

  CbIntacctClient *client;
  gboolean         is_query;
  char            *object;
  guint            page_size;

  /* readByQuery */
  char            *fields;
  char            *query;
  char            *result_id;

  /* query */
  GStrv            select;
  CbIntacctRecord *filter;
  guint64          offset;

  gboolean         started;
  gboolean         done;
  gint64           total;
  gint64           remaining;
  guint64          fetched;
};

G_DEFINE_FINAL_TYPE (CbIntacctPager, cb_intacct_pager, G_TYPE_OBJECT)

static void
cb_intacct_pager_finalize (GObject *object)
{
  CbIntacctPager *self = CB_INTACCT_PAGER (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->object, g_free);
  g_clear_pointer (&self->fields, g_free);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->result_id, g_free);
  g_clear_pointer (&self->select, g_strfreev);
  g_clear_pointer (&self->filter, cb_intacct_record_unref);

  G_OBJECT_CLASS (cb_intacct_pager_parent_class)->finalize (object);
}

static void
cb_intacct_pager_class_init (CbIntacctPagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_intacct_pager_finalize;
}

static void
cb_intacct_pager_init (CbIntacctPager *self)
{
  self->total = -1;
  self->remaining = -1;
}

CbIntacctPager *
cb_intacct_pager_new_read_by_query (CbIntacctClient *client,
                                    const char      *object,
                                    const char      *fields,
                                    const char      *query,
                                    guint            page_size)
{
  CbIntacctPager *self;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (client), NULL);
  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (CB_TYPE_INTACCT_PAGER, NULL);
  self->client = g_object_ref (client);
  self->object = g_strdup (object);
  self->fields = g_strdup (fields != NULL ? fields : "*");
  self->query = g_strdup (query != NULL ? query : "");
  self->page_size = page_size == 0 ? READ_BY_QUERY_MAX_PAGE : MIN (page_size, READ_BY_QUERY_MAX_PAGE);
  return self;
}

CbIntacctPager *
cb_intacct_pager_new_query (CbIntacctClient    *client,
                            const char         *object,
                            const char * const *select,
                            CbIntacctRecord    *filter,
                            guint               page_size)
{
  CbIntacctPager *self;

  g_return_val_if_fail (CB_IS_INTACCT_CLIENT (client), NULL);
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (select != NULL && select[0] != NULL, NULL);

  self = g_object_new (CB_TYPE_INTACCT_PAGER, NULL);
  self->client = g_object_ref (client);
  self->is_query = TRUE;
  self->object = g_strdup (object);
  self->select = g_strdupv ((char **) select);
  self->filter = filter;
  self->page_size = page_size == 0 ? QUERY_MAX_PAGE : MIN (page_size, QUERY_MAX_PAGE);
  return self;
}

static CbIntacctFunction *
build_function (CbIntacctPager *self)
{
  if (self->is_query)
    return cb_intacct_function_query (NULL, self->object, (const char * const *) self->select,
                                      self->filter != NULL ? cb_intacct_record_copy (self->filter)
                                                           : NULL,
                                      "RECORDNO", FALSE, self->page_size, (guint) self->offset,
                                      FALSE, FALSE);
  if (self->started)
    return cb_intacct_function_read_more (NULL, self->result_id);
  return cb_intacct_function_read_by_query (NULL, self->object, self->fields, self->query,
                                            self->page_size);
}

static void
set_paging_error (GError             **error,
                  CbIntacctErrorCode   code,
                  const char          *control_id,
                  const char          *message)
{
  cb_intacct_set_error (error, code, CB_INTACCT_LEVEL_RESULT, 0, control_id, NULL, message);
}

GPtrArray *
cb_intacct_pager_next (CbIntacctPager  *self,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(CbIntacctFunction) function = NULL;
  g_autoptr(GPtrArray) functions = NULL;
  g_autoptr(CbIntacctResponse) response = NULL;
  g_autoptr(GPtrArray) page = NULL;
  CbIntacctResult *result;
  const char *control_id;
  guint count;

  g_return_val_if_fail (CB_IS_INTACCT_PAGER (self), NULL);

  if (self->done)
    return NULL;

  function = build_function (self);
  control_id = cb_intacct_function_get_control_id (function);
  functions = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_function_unref);
  g_ptr_array_add (functions, cb_intacct_function_ref (function));

  response = cb_intacct_client_execute (self->client, functions, CB_INTACCT_EXECUTE_NONE,
                                        cancellable, error);
  if (response == NULL)
    return NULL;
  result = cb_intacct_response_find_result (response, control_id);
  if (result == NULL)
    {
      set_paging_error (error, CB_INTACCT_ERROR_MALFORMED_REPLY, control_id,
                        _("Intacct's reply has no result for the page."));
      return NULL;
    }
  if (!cb_intacct_result_check (result, error))
    return NULL;

  page = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_intacct_record_unref);
  for (guint i = 0; result->records != NULL && i < result->records->len; i++)
    g_ptr_array_add (page, cb_intacct_record_ref (g_ptr_array_index (result->records, i)));
  count = page->len;

  /* Pages must add up: readMore moves a cursor on the server, so a page lost on the way
   * (a reply dropped after the server moved on, then read again) shows up as a gap here.
   * The result set is as good as gone, like an expired resultId: NOT_FOUND, start over. */
  if (!self->is_query && self->remaining >= 0 && result->num_remaining >= 0 &&
      (gint64) count + result->num_remaining != self->remaining)
    {
      set_paging_error (error, CB_INTACCT_ERROR_NOT_FOUND, control_id,
                        _("Records went missing between pages. Start the download again."));
      self->done = TRUE;
      return NULL;
    }

  if (!self->started && result->total_count >= 0)
    self->total = result->total_count;
  self->started = TRUE;
  self->remaining = result->num_remaining;
  self->fetched += count;

  if (self->is_query)
    {
      self->offset += count;
      self->done = result->num_remaining <= 0 || count == 0;
    }
  else
    {
      g_free (self->result_id);
      self->result_id = g_strdup (result->result_id);
      self->done = result->num_remaining <= 0;
      if (!self->done && (self->result_id == NULL || *self->result_id == '\0'))
        {
          set_paging_error (error, CB_INTACCT_ERROR_MALFORMED_REPLY, control_id,
                            _("Intacct announced more records but gave no way to read them."));
          self->done = TRUE;
          return NULL;
        }
    }

  if (count == 0 && self->done)
    return NULL;
  return g_steal_pointer (&page);
}

gboolean
cb_intacct_pager_is_done (CbIntacctPager *self)
{
  g_return_val_if_fail (CB_IS_INTACCT_PAGER (self), TRUE);

  return self->done;
}

gint64
cb_intacct_pager_get_total (CbIntacctPager *self)
{
  g_return_val_if_fail (CB_IS_INTACCT_PAGER (self), -1);

  return self->total;
}

guint64
cb_intacct_pager_get_fetched (CbIntacctPager *self)
{
  g_return_val_if_fail (CB_IS_INTACCT_PAGER (self), 0);

  return self->fetched;
}
