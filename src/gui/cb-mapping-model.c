/* cb-mapping-model.c: see cb-mapping-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-mapping-model"

#include "config.h"

#include "cb-mapping-model.h"

/* CbMappingItem */

struct _CbMappingItem
{
  GObject       parent_instance;
  CbMappingRow *row;
};

G_DEFINE_FINAL_TYPE (CbMappingItem, cb_mapping_item, G_TYPE_OBJECT)

static guint item_changed_signal;

static void
cb_mapping_item_finalize (GObject *object)
{
  CbMappingItem *self = CB_MAPPING_ITEM (object);

  g_clear_pointer (&self->row, cb_mapping_row_free);

  G_OBJECT_CLASS (cb_mapping_item_parent_class)->finalize (object);
}

static void
cb_mapping_item_class_init (CbMappingItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_mapping_item_finalize;

  item_changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 0);
}

static void
cb_mapping_item_init (CbMappingItem *self)
{
}

CbMappingItem *
cb_mapping_item_new (CbMappingRow *row)
{
  CbMappingItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (CB_TYPE_MAPPING_ITEM, NULL);
  self->row = row;

  return self;
}

const CbMappingRow *
cb_mapping_item_get_row (CbMappingItem *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_ITEM (self), NULL);

  return self->row;
}

void
cb_mapping_item_set_row (CbMappingItem *self,
                         CbMappingRow  *row)
{
  g_return_if_fail (CB_IS_MAPPING_ITEM (self));
  g_return_if_fail (row != NULL);

  g_clear_pointer (&self->row, cb_mapping_row_free);
  self->row = row;
  g_signal_emit (self, item_changed_signal, 0);
}

/* CbMappingModel */

struct _CbMappingModel
{
  GObject          parent_instance;

  CbMappingKind    kind;
  CbDatabase      *db;
  char            *profile_id;
  CbMappingFilter  filter;
  char            *search;
  CbMappingSort    sort;
  gboolean         descending;

  guint            n_items;
  GHashTable      *pages;     /* page index → GPtrArray of CbMappingItem */
  GQueue           lru;       /* page indices, most recently used first */
};

static void cb_mapping_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbMappingModel, cb_mapping_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cb_mapping_model_list_model_init))

static void
fill_query (CbMappingModel *self,
            CbMappingQuery *query)
{
  *query = (CbMappingQuery) {
    .filter = self->filter,
    .search = self->search,
    .sort = self->sort,
    .descending = self->descending,
  };
}

static CbMappingItem *
placeholder_item (CbMappingModel *self)
{
  CbMappingRow *row = g_new0 (CbMappingRow, 1);

  row->kind = self->kind;
  row->state = CB_MAPPING_STATE_UNMAPPED;

  return cb_mapping_item_new (row);
}

static void
forget_pages (CbMappingModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
}

static GPtrArray *
load_page (CbMappingModel *self,
           guint           page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *items;
  CbMappingQuery query;

  fill_query (self, &query);
  query.offset = page * CB_MAPPING_MODEL_PAGE_SIZE;
  query.limit = CB_MAPPING_MODEL_PAGE_SIZE;

  rows = cb_mapping_store_list (self->db, self->profile_id, self->kind, &query, &error);
  if (rows == NULL)
    {
      g_warning ("Could not read mappings: %s", error->message);
      return NULL;
    }

  items = g_ptr_array_new_full (rows->len, g_object_unref);
  /* The items take the rows: the array must not free them. */
  g_ptr_array_set_free_func (rows, NULL);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, cb_mapping_item_new (g_ptr_array_index (rows, i)));

  return items;
}

static GType
cb_mapping_model_get_item_type (GListModel *model)
{
  return CB_TYPE_MAPPING_ITEM;
}

static guint
cb_mapping_model_get_n_items (GListModel *model)
{
  return CB_MAPPING_MODEL (model)->n_items;
}

static gpointer
cb_mapping_model_get_item (GListModel *model,
                           guint       position)
{
  CbMappingModel *self = CB_MAPPING_MODEL (model);
  guint page = position / CB_MAPPING_MODEL_PAGE_SIZE;
  guint index = position % CB_MAPPING_MODEL_PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items != NULL)
    {
      /* Most recently used first. */
      if (g_queue_peek_head (&self->lru) != GUINT_TO_POINTER (page))
        {
          g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
          g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
        }
    }
  else
    {
      items = load_page (self, page);
      if (items == NULL)
        return placeholder_item (self);

      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
      while (g_queue_get_length (&self->lru) > CB_MAPPING_MODEL_MAX_PAGES)
        g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
    }

  /* The store changed under us (rows gone since the count): keep the promise anyway. */
  if (index >= items->len)
    return placeholder_item (self);

  return g_object_ref (g_ptr_array_index (items, index));
}

static void
cb_mapping_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cb_mapping_model_get_item_type;
  iface->get_n_items = cb_mapping_model_get_n_items;
  iface->get_item = cb_mapping_model_get_item;
}

static void
cb_mapping_model_finalize (GObject *object)
{
  CbMappingModel *self = CB_MAPPING_MODEL (object);

  forget_pages (self);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_object (&self->db);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (cb_mapping_model_parent_class)->finalize (object);
}

static void
cb_mapping_model_class_init (CbMappingModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_mapping_model_finalize;
}

static void
cb_mapping_model_init (CbMappingModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->lru);
  self->filter = CB_MAPPING_FILTER_ALL;
  self->sort = CB_MAPPING_SORT_JOB_CODE;
}

CbMappingModel *
cb_mapping_model_new (CbMappingKind kind)
{
  CbMappingModel *self;

  g_return_val_if_fail (kind < CB_MAPPING_N_KINDS, NULL);

  self = g_object_new (CB_TYPE_MAPPING_MODEL, NULL);
  self->kind = kind;

  return self;
}

CbMappingKind
cb_mapping_model_get_kind (CbMappingModel *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), CB_MAPPING_COST_CODES);

  return self->kind;
}

gboolean
cb_mapping_model_reload (CbMappingModel  *self,
                         GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  guint old_n_items;
  guint n_items = 0;
  CbMappingQuery query;

  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), FALSE);

  old_n_items = self->n_items;
  forget_pages (self);

  if (self->db != NULL && self->profile_id != NULL)
    {
      fill_query (self, &query);
      n_items = cb_mapping_store_count (self->db, self->profile_id, self->kind, &query,
                                        &local_error);
    }

  self->n_items = local_error == NULL ? n_items : 0;
  if (old_n_items > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
reload_quietly (CbMappingModel *self)
{
  g_autoptr(GError) error = NULL;

  if (!cb_mapping_model_reload (self, &error))
    g_warning ("Could not count mappings: %s", error->message);
}

void
cb_mapping_model_set_source (CbMappingModel *self,
                             CbDatabase     *db,
                             const char     *profile_id)
{
  g_return_if_fail (CB_IS_MAPPING_MODEL (self));
  g_return_if_fail (db == NULL || CB_IS_DATABASE (db));

  g_set_object (&self->db, db);
  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
  reload_quietly (self);
}

void
cb_mapping_model_set_filter (CbMappingModel  *self,
                             CbMappingFilter  filter)
{
  g_return_if_fail (CB_IS_MAPPING_MODEL (self));

  if (self->filter == filter)
    return;

  self->filter = filter;
  reload_quietly (self);
}

CbMappingFilter
cb_mapping_model_get_filter (CbMappingModel *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), CB_MAPPING_FILTER_ALL);

  return self->filter;
}

void
cb_mapping_model_set_search (CbMappingModel *self,
                             const char     *search)
{
  g_return_if_fail (CB_IS_MAPPING_MODEL (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (search);
  reload_quietly (self);
}

void
cb_mapping_model_set_sort (CbMappingModel *self,
                           CbMappingSort   sort,
                           gboolean        descending)
{
  g_return_if_fail (CB_IS_MAPPING_MODEL (self));

  descending = !!descending;
  if (self->sort == sort && self->descending == descending)
    return;

  self->sort = sort;
  self->descending = descending;
  reload_quietly (self);
}

void
cb_mapping_model_refresh_rows (CbMappingModel     *self,
                               const char * const *job_ids)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CB_IS_MAPPING_MODEL (self));

  if (job_ids == NULL || self->db == NULL || self->profile_id == NULL)
    return;

  for (guint i = 0; job_ids[i] != NULL; i++)
    g_hash_table_add (wanted, (gpointer) job_ids[i]);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *items = value;

      for (guint i = 0; i < items->len; i++)
        {
          CbMappingItem *item = g_ptr_array_index (items, i);
          g_autoptr(GError) error = NULL;
          CbMappingRow *row;

          if (item->row->job_id == NULL || !g_hash_table_contains (wanted, item->row->job_id))
            continue;

          row = cb_mapping_store_get (self->db, self->profile_id, self->kind,
                                      item->row->job_id, &error);
          if (row != NULL)
            cb_mapping_item_set_row (item, row);
          else if (error != NULL)
            g_warning ("Could not read a mapping: %s", error->message);
        }
    }
}

guint
cb_mapping_model_get_n_loaded_pages (CbMappingModel *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}
