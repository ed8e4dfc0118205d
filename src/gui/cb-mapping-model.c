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

gboolean
cb_mapping_item_is_placeholder (CbMappingItem *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_ITEM (self), FALSE);

  return self->row->job_id == NULL;
}

/* Worker connections: idle CbDatabase connections to one file, handed to one worker at a
 * time (a GAsyncQueue is reference counted, so tasks in flight keep it alive). */

static CbDatabase *
pool_acquire (GAsyncQueue  *pool,
              const char   *path,
              GError      **error)
{
  CbDatabase *db = g_async_queue_try_pop (pool);

  return db != NULL ? db : cb_database_open (path, error);
}

static int
progress_cb (void *data)
{
  /* Non-zero interrupts the statement: a newer query made this one useless. */
  return g_cancellable_is_cancelled (data);
}

static void
pool_release (GAsyncQueue *pool,
              CbDatabase  *db)
{
  sqlite3_progress_handler (cb_database_get_handle (db), 0, NULL, NULL);
  /* A connection left inside a transaction is not reused. */
  if (sqlite3_get_autocommit (cb_database_get_handle (db)))
    g_async_queue_push (pool, db);
  else
    g_object_unref (db);
}

/* CbMappingModel */

typedef struct
{
  GPtrArray    *items;        /* CbMappingItem, placeholders until loaded */
  GCancellable *cancellable;  /* the page's worker */
  guint         serial;
  gboolean      loaded;
} Page;

static void
page_free (Page *page)
{
  g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  g_ptr_array_unref (page->items);
  g_free (page);
}

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

  guint            n_items;     /* announced to views: moves toward n_rows (announce_step) */
  guint            n_rows;      /* of the current result */
  guint            announce_source;
  GHashTable      *pages;     /* page index → Page */
  GQueue           lru;       /* page indices, most recently used first */
  guint            page_serial;
  gboolean         replacing;   /* emitting items-changed for a new query */

  GAsyncQueue     *pool;      /* idle worker connections to db's file */
  guint            generation;          /* of the current query */
  GCancellable    *query_cancellable;   /* the query in flight, or NULL */
  GCancellable    *counts_cancellable;  /* a counts-only task in flight, or NULL */
  guint            n_pending_pages;     /* page tasks of this generation in flight */

  CbMappingCounts  counts;
  gboolean         have_counts;
  GError          *error;
};

static void cb_mapping_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbMappingModel, cb_mapping_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cb_mapping_model_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_LOADED,
  SIGNAL_COUNTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static CbMappingRow *
placeholder_row (CbMappingModel *self)
{
  CbMappingRow *row = g_new0 (CbMappingRow, 1);

  row->kind = self->kind;
  row->state = CB_MAPPING_STATE_UNMAPPED;

  return row;
}

static CbMappingItem *
placeholder_item (CbMappingModel *self)
{
  return cb_mapping_item_new (placeholder_row (self));
}

static void
forget_pages (CbMappingModel *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  self->n_pending_pages = 0;
}

static gboolean
has_source (CbMappingModel *self)
{
  return self->db != NULL && self->profile_id != NULL;
}

/* Everything a worker needs, copied: the model's fields may change meanwhile. */
typedef struct
{
  GAsyncQueue    *pool;
  char           *path;
  char           *profile_id;
  CbMappingKind   kind;
  CbMappingFilter filter;
  char           *search;
  CbMappingSort   sort;
  gboolean        descending;
  guint           generation;
  guint           page;       /* page tasks */
  guint           serial;     /* page tasks */
  gboolean        with_rows;  /* query tasks: count and first page */
  gboolean        with_counts;
} Job;

static void
job_free (Job *job)
{
  g_async_queue_unref (job->pool);
  g_free (job->path);
  g_free (job->profile_id);
  g_free (job->search);
  g_free (job);
}

static Job *
job_new (CbMappingModel *self)
{
  Job *job = g_new0 (Job, 1);

  job->pool = g_async_queue_ref (self->pool);
  job->path = g_strdup (cb_database_get_path (self->db));
  job->profile_id = g_strdup (self->profile_id);
  job->kind = self->kind;
  job->filter = self->filter;
  job->search = g_strdup (self->search);
  job->sort = self->sort;
  job->descending = self->descending;
  job->generation = self->generation;

  return job;
}

static void
job_query (const Job      *job,
           CbMappingQuery *query)
{
  *query = (CbMappingQuery) {
    .filter = job->filter,
    .search = job->search,
    .sort = job->sort,
    .descending = job->descending,
  };
}

typedef struct
{
  guint            n_items;
  GPtrArray       *rows;      /* CbMappingRow */
  CbMappingCounts  counts;
} Result;

static void
result_free (Result *result)
{
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result);
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  CbMappingCounts counts = { 0 };
  CbMappingQuery query;
  guint n = 0;
  Result *result;

  if (g_task_return_error_if_cancelled (task))
    return;
  db = pool_acquire (job->pool, job->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sqlite3_progress_handler (cb_database_get_handle (db), 1000, progress_cb, cancellable);

  job_query (job, &query);
  if (job->with_counts &&
      !cb_mapping_store_counts (db, job->profile_id, job->kind, &counts, &error))
    goto out;
  if (job->with_rows && !g_cancellable_is_cancelled (cancellable))
    {
      n = cb_mapping_store_count (db, job->profile_id, job->kind, &query, &error);
      if (error != NULL)
        goto out;
      query.limit = CB_MAPPING_MODEL_PAGE_SIZE;
      if (n > 0 && !g_cancellable_is_cancelled (cancellable))
        rows = cb_mapping_store_list (db, job->profile_id, job->kind, &query, &error);
    }

out:
  pool_release (job->pool, g_steal_pointer (&db));
  if (g_task_return_error_if_cancelled (task))
    return;
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (Result, 1);
  result->n_items = n;
  result->rows = g_steal_pointer (&rows);
  result->counts = counts;
  g_task_return_pointer (task, result, (GDestroyNotify) result_free);
}

static void
page_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  CbDatabase *db;
  GPtrArray *rows;
  CbMappingQuery query;

  if (g_task_return_error_if_cancelled (task))
    return;
  db = pool_acquire (job->pool, job->path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sqlite3_progress_handler (cb_database_get_handle (db), 1000, progress_cb, cancellable);

  job_query (job, &query);
  query.offset = job->page * CB_MAPPING_MODEL_PAGE_SIZE;
  query.limit = CB_MAPPING_MODEL_PAGE_SIZE;
  rows = cb_mapping_store_list (db, job->profile_id, job->kind, &query, &error);
  pool_release (job->pool, db);

  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_pointer (&rows, g_ptr_array_unref);
      return;
    }
  if (rows == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_page_loaded_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  CbMappingModel *self = CB_MAPPING_MODEL (source);
  Job *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_task_propagate_pointer (G_TASK (res), &error);
  Page *page;

  if (job->generation != self->generation)
    return;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (job->page));
  if (page == NULL || page->serial != job->serial)
    return;   /* evicted meanwhile (and no longer counted as pending) */

  g_assert (self->n_pending_pages > 0);
  self->n_pending_pages--;

  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read mappings: %s", error->message);
      /* Asked again the next time the view wants one of its rows. */
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (job->page));
      g_queue_remove (&self->lru, GUINT_TO_POINTER (job->page));
      return;
    }

  page->loaded = TRUE;
  g_clear_object (&page->cancellable);
  /* The items take the rows: the array must not free them. */
  g_ptr_array_set_free_func (rows, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      if (i < page->items->len)
        cb_mapping_item_set_row (g_ptr_array_index (page->items, i), g_ptr_array_index (rows, i));
      else
        cb_mapping_row_free (g_ptr_array_index (rows, i));
    }
}

static void
evict_pages (CbMappingModel *self)
{
  while (g_queue_get_length (&self->lru) > CB_MAPPING_MODEL_MAX_PAGES)
    {
      gpointer index = g_queue_pop_tail (&self->lru);
      Page *page = g_hash_table_lookup (self->pages, index);

      if (page != NULL && !page->loaded && page->cancellable != NULL && self->n_pending_pages > 0)
        self->n_pending_pages--;
      g_hash_table_remove (self->pages, index);
    }
}

static Page *
add_page (CbMappingModel *self,
          guint           index,
          GPtrArray      *items)
{
  Page *page = g_new0 (Page, 1);

  page->items = items;
  page->serial = ++self->page_serial;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (index));

  return page;
}

static void
run_page (CbMappingModel *self,
          guint           index,
          Page           *page)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  page->cancellable = g_cancellable_new ();
  job = job_new (self);
  job->page = index;
  job->serial = page->serial;
  task = g_task_new (self, page->cancellable, on_page_loaded_cb, NULL);
  g_task_set_source_tag (task, run_page);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  self->n_pending_pages++;
  g_task_run_in_thread (task, page_thread);
}

static void
start_page (CbMappingModel *self,
            guint           index)
{
  guint first = index * CB_MAPPING_MODEL_PAGE_SIZE;
  guint n = MIN (CB_MAPPING_MODEL_PAGE_SIZE, self->n_rows - first);
  GPtrArray *items = g_ptr_array_new_full (n, g_object_unref);
  Page *page;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, placeholder_item (self));
  page = add_page (self, index, items);
  /* While a query runs, its result will fill these items in place (replace_items). */
  if (!self->replacing && self->query_cancellable == NULL)
    run_page (self, index, page);

  evict_pages (self);
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
  guint index = position / CB_MAPPING_MODEL_PAGE_SIZE;
  guint offset = position % CB_MAPPING_MODEL_PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page != NULL)
    {
      /* Most recently used first. */
      if (g_queue_peek_head (&self->lru) != GUINT_TO_POINTER (index))
        {
          g_queue_remove (&self->lru, GUINT_TO_POINTER (index));
          g_queue_push_head (&self->lru, GUINT_TO_POINTER (index));
        }
    }
  else if (!has_source (self))
    {
      return placeholder_item (self);
    }
  else
    {
      start_page (self, index);
      page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
    }

  /* The store changed under us (rows gone since the count): keep the promise anyway. */
  if (offset >= page->items->len)
    return placeholder_item (self);

  return g_object_ref (g_ptr_array_index (page->items, offset));
}

static void
cb_mapping_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cb_mapping_model_get_item_type;
  iface->get_n_items = cb_mapping_model_get_n_items;
  iface->get_item = cb_mapping_model_get_item;
}

static void
cancel_tasks (CbMappingModel *self)
{
  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
}

static void
cb_mapping_model_dispose (GObject *object)
{
  CbMappingModel *self = CB_MAPPING_MODEL (object);

  cancel_tasks (self);
  g_clear_handle_id (&self->announce_source, g_source_remove);
  forget_pages (self);

  G_OBJECT_CLASS (cb_mapping_model_parent_class)->dispose (object);
}

static void
cb_mapping_model_finalize (GObject *object)
{
  CbMappingModel *self = CB_MAPPING_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->pool, g_async_queue_unref);
  g_clear_object (&self->db);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cb_mapping_model_parent_class)->finalize (object);
}

static void
cb_mapping_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CbMappingModel *self = CB_MAPPING_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, cb_mapping_model_is_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_mapping_model_class_init (CbMappingModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_mapping_model_dispose;
  object_class->finalize = cb_mapping_model_finalize;
  object_class->get_property = cb_mapping_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CbMappingModel::loaded:
   *
   * A query's rows replaced the model's (or it failed: see cb_mapping_model_get_error()).
   */
  signals[SIGNAL_LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
  /**
   * CbMappingModel::counts-changed:
   *
   * New counts of every state (cb_mapping_model_get_counts()).
   */
  signals[SIGNAL_COUNTS_CHANGED] = g_signal_new ("counts-changed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 0);
}

static void
cb_mapping_model_init (CbMappingModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  g_queue_init (&self->lru);
  self->pool = g_async_queue_new_full (g_object_unref);
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

static void
set_counts (CbMappingModel        *self,
            const CbMappingCounts *counts)
{
  self->counts = counts != NULL ? *counts : (CbMappingCounts) { 0 };
  self->have_counts = counts != NULL;
  g_signal_emit (self, signals[SIGNAL_COUNTS_CHANGED], 0);
}

/* The rows of @items from @from on are gone: a view may show them a few iterations more
 * (see announce_step()), blank rather than as rows of the previous query. */
static void
blank_items (CbMappingModel *self,
             GPtrArray      *items,
             guint           from)
{
  for (guint i = from; i < items->len; i++)
    if (!cb_mapping_item_is_placeholder (g_ptr_array_index (items, i)))
      cb_mapping_item_set_row (g_ptr_array_index (items, i), placeholder_row (self));
}

/* Gives the rows of a new query to the items of a page kept from the previous one, in
 * place: the first page's from @rows (taken, may be NULL), placeholders elsewhere (read
 * again afterwards). Its length follows the new row count. */
static void
refill_page (CbMappingModel *self,
             guint           index,
             Page           *page,
             GPtrArray      *rows)
{
  guint first = index * CB_MAPPING_MODEL_PAGE_SIZE;
  guint n = MIN (CB_MAPPING_MODEL_PAGE_SIZE, self->n_rows - first);

  /* Its worker, if any, read the previous query's rows. */
  g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  page->serial = ++self->page_serial;
  page->loaded = rows != NULL;

  if (page->items->len > n)
    {
      blank_items (self, page->items, n);
      g_ptr_array_set_size (page->items, n);
    }
  for (guint i = 0; i < n; i++)
    {
      CbMappingRow *row = rows != NULL && i < rows->len ? g_ptr_array_index (rows, i)
                                                        : placeholder_row (self);

      if (i < page->items->len)
        cb_mapping_item_set_row (g_ptr_array_index (page->items, i), row);
      else
        g_ptr_array_add (page->items, cb_mapping_item_new (row));
    }
  /* The store changed since the count: rows past it are dropped. */
  for (guint i = n; rows != NULL && i < rows->len; i++)
    cb_mapping_row_free (g_ptr_array_index (rows, i));
}

/* GTK 4.8 keeps widgets for about 200 rows of a list (GTK_LIST_VIEW_MAX_LIST_ITEMS),
 * whatever its length, and builds (or drops) those of the rows an items-changed adds (or
 * removes) before it returns. Building 200 rows of cells at once blocks the main loop for
 * a few hundred milliseconds on a slow machine, so within the first ANNOUNCE_LIMIT rows the
 * length changes by ANNOUNCE_STEP rows an iteration; beyond them, at once. */
#define ANNOUNCE_LIMIT 256
#define ANNOUNCE_STEP  40

static void finish_query (CbMappingModel *self);

/* Moves the announced length one step toward the result's; TRUE when there. */
static gboolean
announce_step (CbMappingModel *self,
               gboolean        at_once)
{
  guint old_n_items = self->n_items;
  guint n_items = self->n_rows;

  if (!at_once && n_items > old_n_items && old_n_items < ANNOUNCE_LIMIT)
    n_items = MIN (n_items, old_n_items + ANNOUNCE_STEP);
  else if (!at_once && n_items < old_n_items && old_n_items > ANNOUNCE_LIMIT)
    n_items = MAX (n_items, ANNOUNCE_LIMIT);
  else if (!at_once && n_items < old_n_items)
    n_items = MAX (n_items, old_n_items - MIN (old_n_items, ANNOUNCE_STEP));

  /* Pages asked for meanwhile get placeholders, and only those still kept afterwards are
   * read. */
  self->n_items = n_items;
  self->replacing = TRUE;
  if (n_items < old_n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), n_items, old_n_items - n_items, 0);
  else if (n_items > old_n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n_items, 0, n_items - old_n_items);
  self->replacing = FALSE;

  return self->n_items == self->n_rows;
}

static gboolean
announce_cb (gpointer data)
{
  CbMappingModel *self = data;

  if (!announce_step (self, FALSE))
    return G_SOURCE_CONTINUE;

  self->announce_source = 0;
  finish_query (self);

  return G_SOURCE_REMOVE;
}

/* Replaces every item by @n_rows rows, the first page being @rows (taken, may be NULL).
 * Unless @at_once, the length may reach @n_rows only in later iterations (announce_cb):
 * TRUE when it is there already.
 *
 * items-changed (0, old, new) on a long list is slow in GTK 4.8: the list item manager
 * asks for every new item to match it with the removed ones (tens of thousands of
 * placeholders here), then drops the widgets of every row it shows and builds them again;
 * that blocked the main loop for over a second with 100,000 rows. Instead the items
 * already handed out (those of the pages kept) take the new rows in place ("changed"
 * rebinds their cells), and only the difference in length is announced, at the end. The
 * page clears the selection when "loaded" follows (positions now mean other rows). */
static gboolean
replace_items (CbMappingModel *self,
               guint           n_rows,
               GPtrArray      *rows,
               gboolean        at_once)
{
  guint n_pages = (n_rows + CB_MAPPING_MODEL_PAGE_SIZE - 1) / CB_MAPPING_MODEL_PAGE_SIZE;
  gboolean done;
  GHashTableIter iter;
  gpointer key, value;

  g_clear_handle_id (&self->announce_source, g_source_remove);
  if (rows != NULL && n_rows == 0)
    g_clear_pointer (&rows, g_ptr_array_unref);
  if (rows != NULL)
    g_ptr_array_set_free_func (rows, NULL);   /* the items take them */

  self->n_rows = n_rows;
  self->n_pending_pages = 0;
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint index = GPOINTER_TO_UINT (key);

      if (index >= n_pages)
        {
          blank_items (self, ((Page *) value)->items, 0);
          g_queue_remove (&self->lru, key);
          g_hash_table_iter_remove (&iter);
        }
      else
        {
          refill_page (self, index, value, index == 0 ? rows : NULL);
        }
    }
  if (rows != NULL && !g_hash_table_contains (self->pages, GUINT_TO_POINTER (0)))
    {
      Page *page = add_page (self, 0, g_ptr_array_new_with_free_func (g_object_unref));

      refill_page (self, 0, page, rows);
      evict_pages (self);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  done = announce_step (self, at_once);
  if (!done)
    self->announce_source = g_idle_add (announce_cb, self);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!((Page *) value)->loaded && ((Page *) value)->cancellable == NULL)
      run_page (self, GPOINTER_TO_UINT (key), value);

  return done;
}

static void
on_query_done_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  CbMappingModel *self = CB_MAPPING_MODEL (source);
  Job *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  Result *result = g_task_propagate_pointer (G_TASK (res), &error);
  gboolean done;

  /* The newest query wins. */
  if (job->generation != self->generation || g_task_get_cancellable (G_TASK (res)) != self->query_cancellable)
    {
      g_clear_pointer (&result, result_free);
      return;
    }

  g_clear_object (&self->query_cancellable);
  g_clear_error (&self->error);
  if (result == NULL)
    {
      g_warning ("Could not read mappings: %s", error->message);
      self->error = g_steal_pointer (&error);
      done = replace_items (self, 0, NULL, FALSE);
    }
  else
    {
      if (job->with_counts)
        set_counts (self, &result->counts);
      done = replace_items (self, result->n_items, g_steal_pointer (&result->rows), FALSE);
      result_free (result);
    }

  if (done)
    finish_query (self);
}

/* The query's rows are all announced. */
static void
finish_query (CbMappingModel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

static void
start_query (CbMappingModel *self,
             gboolean        with_counts)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_loading = cb_mapping_model_is_loading (self);
  Job *job;

  /* The newest query wins: the one in flight stops, its pages too. The pages stay (a view
   * may hold their items): the result fills them in place. */
  cancel_tasks (self);
  g_clear_handle_id (&self->announce_source, g_source_remove);
  self->generation++;
  self->n_pending_pages = 0;
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->pages);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        Page *page = value;

        g_cancellable_cancel (page->cancellable);
        g_clear_object (&page->cancellable);
      }
  }

  if (!has_source (self))
    {
      g_clear_error (&self->error);
      replace_items (self, 0, NULL, TRUE);
      set_counts (self, NULL);
      if (was_loading)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      g_signal_emit (self, signals[SIGNAL_LOADED], 0);
      return;
    }

  job = job_new (self);
  job->with_rows = TRUE;
  job->with_counts = with_counts;
  self->query_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->query_cancellable, on_query_done_cb, NULL);
  g_task_set_source_tag (task, start_query);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, query_thread);

  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
cb_mapping_model_reload (CbMappingModel *self)
{
  g_return_if_fail (CB_IS_MAPPING_MODEL (self));

  start_query (self, TRUE);
}

static void
on_counts_done_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  CbMappingModel *self = CB_MAPPING_MODEL (source);
  g_autoptr(GError) error = NULL;
  Result *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_task_get_cancellable (G_TASK (res)) != self->counts_cancellable)
    {
      g_clear_pointer (&result, result_free);
      return;
    }

  g_clear_object (&self->counts_cancellable);
  if (result == NULL)
    {
      g_warning ("Could not count mappings: %s", error->message);
      return;
    }
  set_counts (self, &result->counts);
  result_free (result);
}

void
cb_mapping_model_refresh_counts (CbMappingModel *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (CB_IS_MAPPING_MODEL (self));

  if (!has_source (self))
    return;

  g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);

  job = job_new (self);
  job->with_counts = TRUE;
  self->counts_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->counts_cancellable, on_counts_done_cb, NULL);
  g_task_set_source_tag (task, cb_mapping_model_refresh_counts);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, query_thread);
}

void
cb_mapping_model_set_source (CbMappingModel *self,
                             CbDatabase     *db,
                             const char     *profile_id)
{
  g_return_if_fail (CB_IS_MAPPING_MODEL (self));
  g_return_if_fail (db == NULL || CB_IS_DATABASE (db));

  if (self->db != db)
    {
      /* Idle connections are to the old file. */
      g_async_queue_unref (self->pool);
      self->pool = g_async_queue_new_full (g_object_unref);
    }
  g_set_object (&self->db, db);
  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
  start_query (self, TRUE);
}

void
cb_mapping_model_set_filter (CbMappingModel  *self,
                             CbMappingFilter  filter)
{
  g_return_if_fail (CB_IS_MAPPING_MODEL (self));

  if (self->filter == filter)
    return;

  self->filter = filter;
  start_query (self, FALSE);
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
  start_query (self, FALSE);
}

const char *
cb_mapping_model_get_search (CbMappingModel *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), NULL);

  return self->search;
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
  start_query (self, FALSE);
}

gboolean
cb_mapping_model_is_loading (CbMappingModel *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), FALSE);

  return self->query_cancellable != NULL || self->announce_source != 0;
}

gboolean
cb_mapping_model_is_busy (CbMappingModel *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), FALSE);

  return cb_mapping_model_is_loading (self) || self->counts_cancellable != NULL ||
         self->n_pending_pages > 0;
}

gboolean
cb_mapping_model_get_counts (CbMappingModel  *self,
                             CbMappingCounts *counts)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  *counts = self->counts;

  return self->have_counts;
}

const GError *
cb_mapping_model_get_error (CbMappingModel *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), NULL);

  return self->error;
}

void
cb_mapping_model_refresh_rows (CbMappingModel     *self,
                               const char * const *job_ids)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CB_IS_MAPPING_MODEL (self));

  if (job_ids == NULL || !has_source (self))
    return;

  for (guint i = 0; job_ids[i] != NULL; i++)
    g_hash_table_add (wanted, (gpointer) job_ids[i]);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        {
          CbMappingItem *item = g_ptr_array_index (page->items, i);
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

GStrv
cb_mapping_model_dup_job_ids (CbMappingModel *self,
                              GtkBitset      *positions)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) read = NULL;   /* a page read on the spot */
  guint read_index = G_MAXUINT;
  GtkBitsetIter iter;
  guint position;

  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), NULL);
  g_return_val_if_fail (positions != NULL, NULL);

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, positions, &position);
       ok && position < self->n_items;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      guint index = position / CB_MAPPING_MODEL_PAGE_SIZE;
      guint offset = position % CB_MAPPING_MODEL_PAGE_SIZE;
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
      const CbMappingRow *row = NULL;

      if (page != NULL && page->loaded)
        {
          if (offset < page->items->len)
            row = cb_mapping_item_get_row (g_ptr_array_index (page->items, offset));
        }
      else if (has_source (self))
        {
          if (read_index != index)
            {
              g_autoptr(GError) error = NULL;
              CbMappingQuery query = {
                .filter = self->filter,
                .search = self->search,
                .sort = self->sort,
                .descending = self->descending,
                .offset = index * CB_MAPPING_MODEL_PAGE_SIZE,
                .limit = CB_MAPPING_MODEL_PAGE_SIZE,
              };

              g_clear_pointer (&read, g_ptr_array_unref);
              read = cb_mapping_store_list (self->db, self->profile_id, self->kind, &query, &error);
              read_index = index;
              if (read == NULL)
                g_warning ("Could not read mappings: %s", error->message);
            }
          if (read != NULL && offset < read->len)
            row = g_ptr_array_index (read, offset);
        }

      if (row != NULL && row->job_id != NULL)
        g_strv_builder_add (builder, row->job_id);
    }

  return g_strv_builder_end (builder);
}

int
cb_mapping_model_find_loaded (CbMappingModel *self,
                              const char     *job_id)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), -1);
  g_return_val_if_fail (job_id != NULL, -1);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Page *page = value;

      for (guint i = 0; page->loaded && i < page->items->len; i++)
        {
          CbMappingItem *item = g_ptr_array_index (page->items, i);

          if (g_strcmp0 (item->row->job_id, job_id) == 0)
            return GPOINTER_TO_UINT (key) * CB_MAPPING_MODEL_PAGE_SIZE + i;
        }
    }

  return -1;
}

guint
cb_mapping_model_get_n_loaded_pages (CbMappingModel *self)
{
  g_return_val_if_fail (CB_IS_MAPPING_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}
