/* cb-planner.c: see cb-planner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cb-planner"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-intacct-cache.h"
#include "cb-intacct-objects.h"
#include "cb-planner.h"
#include "cb-run-store.h"

/* ---- kinds and actions ------------------------------------------------------------------ */

static const struct
{
  const char *name;
  const char *object;
  guint       stage;
} kinds[CB_PLAN_N_KINDS] = {
  { "vendor", "VENDOR", 0 },
  { "standard_cost_type", "STANDARDCOSTTYPE", 0 },
  { "standard_task", "STANDARDTASK", 1 },
  { "project", "PROJECT", 2 },
  { "task", "TASK", 3 },
  { "cost_type", "COSTTYPE", 4 },
  { "bill", "APBILL", 5 },
};

const char *
cb_plan_kind_to_string (CbPlanKind kind)
{
  g_return_val_if_fail (kind < CB_PLAN_N_KINDS, NULL);
  return kinds[kind].name;
}

gboolean
cb_plan_kind_from_string (const char *text,
                          CbPlanKind *kind)
{
  for (guint i = 0; i < CB_PLAN_N_KINDS; i++)
    if (g_strcmp0 (text, kinds[i].name) == 0 || g_strcmp0 (text, kinds[i].object) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
cb_plan_kind_get_label (CbPlanKind kind)
{
  switch (kind)
    {
    case CB_PLAN_KIND_VENDOR: return _("Vendors");
    case CB_PLAN_KIND_STANDARD_COST_TYPE: return _("Standard cost types");
    case CB_PLAN_KIND_STANDARD_TASK: return _("Standard tasks");
    case CB_PLAN_KIND_PROJECT: return _("Projects");
    case CB_PLAN_KIND_TASK: return _("Project tasks");
    case CB_PLAN_KIND_COST_TYPE: return _("Project cost types");
    case CB_PLAN_KIND_BILL: return _("Bills");
    case CB_PLAN_N_KINDS:
    default: break;
    }
  g_return_val_if_reached (NULL);
}

const char *
cb_plan_kind_intacct_object (CbPlanKind kind)
{
  g_return_val_if_fail (kind < CB_PLAN_N_KINDS, NULL);
  return kinds[kind].object;
}

guint
cb_plan_kind_get_stage (CbPlanKind kind)
{
  g_return_val_if_fail (kind < CB_PLAN_N_KINDS, 0);
  return kinds[kind].stage;
}

const char *
cb_plan_action_to_string (CbPlanAction action)
{
  switch (action)
    {
    case CB_PLAN_ACTION_CREATE: return "create";
    case CB_PLAN_ACTION_UPDATE: return "update";
    case CB_PLAN_ACTION_ENSURE: return "ensure";
    case CB_PLAN_ACTION_NONE: return "none";
    default: break;
    }
  g_return_val_if_reached (NULL);
}

const char *
cb_plan_action_get_label (CbPlanAction action)
{
  switch (action)
    {
    case CB_PLAN_ACTION_CREATE: return _("Create");
    case CB_PLAN_ACTION_UPDATE: return _("Update");
    case CB_PLAN_ACTION_ENSURE: return _("Create if missing");
    case CB_PLAN_ACTION_NONE: return _("Nothing");
    default: break;
    }
  g_return_val_if_reached (NULL);
}

/* ---- records as JSON (the outbox payload) ------------------------------------------------ */

static void
record_to_builder (JsonBuilder           *b,
                   const CbIntacctRecord *record)
{
  guint n = cb_intacct_record_get_n_children (record);

  json_builder_begin_array (b);
  json_builder_add_string_value (b, cb_intacct_record_get_name (record));
  if (n == 0)
    {
      const char *value = cb_intacct_record_get_value (record);

      json_builder_add_string_value (b, value ? value : "");
    }
  else
    {
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        record_to_builder (b, cb_intacct_record_get_nth_child (record, i));
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
}

char *
cb_plan_record_to_json_string (const CbIntacctRecord *record)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  record_to_builder (b, record);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static CbIntacctRecord *
record_from_node (JsonNode *node)
{
  JsonArray *a;
  JsonNode *second;
  CbIntacctRecord *record;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  a = json_node_get_array (node);
  if (json_array_get_length (a) != 2)
    return NULL;
  second = json_array_get_element (a, 1);
  if (JSON_NODE_HOLDS_VALUE (second))
    return cb_intacct_record_new_field (json_array_get_string_element (a, 0),
                                        json_node_get_string (second));
  if (!JSON_NODE_HOLDS_ARRAY (second))
    return NULL;
  record = cb_intacct_record_new (json_array_get_string_element (a, 0));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (second)); i++)
    {
      CbIntacctRecord *child = record_from_node (json_array_get_element (json_node_get_array (second), i));

      if (child == NULL)
        {
          cb_intacct_record_unref (record);
          return NULL;
        }
      cb_intacct_record_append (record, child);
    }
  return record;
}

CbIntacctRecord *
cb_plan_record_from_json_string (const char  *text,
                                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  CbIntacctRecord *record;

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  record = record_from_node (json_parser_get_root (parser));
  if (record == NULL)
    g_set_error_literal (error, CB_DATABASE_ERROR, CB_DATABASE_ERROR_INVALID,
                         _("A stored record to send is damaged"));
  return record;
}

/* ---- items ---------------------------------------------------------------------------------- */

static void
plan_field_free (CbPlanField *field)
{
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

static void
add_plan_field (GPtrArray  *fields,
                const char *name,
                const char *value)
{
  CbPlanField *f = g_new0 (CbPlanField, 1);

  f->name = g_strdup (name);
  f->value = g_strdup (value ? value : "");
  g_ptr_array_add (fields, f);
}

static GPtrArray *
new_fields (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) plan_field_free);
}

CbPlanItem *
cb_plan_item_new (CbPlanKind  kind,
                  CbPlanAction action,
                  const char *key,
                  CbJobKind   job_kind,
                  const char *job_id,
                  const char *label)
{
  CbPlanItem *item = g_new0 (CbPlanItem, 1);

  item->kind = kind;
  item->action = action;
  item->key = g_strdup (key);
  item->job_kind = job_kind;
  item->job_id = g_strdup (job_id);
  item->label = g_strdup (label);
  item->intacct_object = g_strdup (cb_plan_kind_intacct_object (kind));
  item->fields = new_fields ();
  item->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  return item;
}

void
cb_plan_item_free (CbPlanItem *item)
{
  if (item == NULL)
    return;
  g_free (item->key);
  g_free (item->job_id);
  g_free (item->label);
  g_free (item->intacct_object);
  g_free (item->intacct_id);
  g_free (item->intacct_parent);
  g_free (item->intacct_recordno);
  g_clear_pointer (&item->record, cb_intacct_record_unref);
  g_ptr_array_unref (item->fields);
  g_ptr_array_unref (item->lines);
  g_free (item->content_hash);
  g_strfreev (item->depends_on);
  g_free (item->blocked_reason);
  g_free (item->fix_target);
  g_free (item);
}

static void
flatten (const CbIntacctRecord *record,
         const char            *prefix,
         GPtrArray             *fields,
         GPtrArray             *lines)
{
  for (guint i = 0; i < cb_intacct_record_get_n_children (record); i++)
    {
      CbIntacctRecord *c = cb_intacct_record_get_nth_child (record, i);
      const char *name = cb_intacct_record_get_name (c);
      g_autofree char *full = prefix ? g_strconcat (prefix, ".", name, NULL) : g_strdup (name);

      if (cb_intacct_record_get_n_children (c) == 0)
        add_plan_field (fields, full, cb_intacct_record_get_value (c));
      else if (lines != NULL && g_str_has_suffix (name, "ITEMS"))
        {
          for (guint k = 0; k < cb_intacct_record_get_n_children (c); k++)
            {
              GPtrArray *line = new_fields ();

              flatten (cb_intacct_record_get_nth_child (c, k), NULL, line, NULL);
              g_ptr_array_add (lines, line);
            }
        }
      else
        flatten (c, full, fields, NULL);
    }
}

void
cb_plan_item_set_record (CbPlanItem      *item,
                         CbIntacctRecord *record)
{
  g_autofree char *json = NULL;
  g_autoptr(CbIntacctRecord) hashed = NULL;

  g_clear_pointer (&item->record, cb_intacct_record_unref);
  item->record = record;
  g_ptr_array_set_size (item->fields, 0);
  g_ptr_array_set_size (item->lines, 0);
  g_clear_pointer (&item->content_hash, g_free);
  if (record == NULL)
    return;
  flatten (record, NULL, item->fields, item->lines);

  /* The hash ignores RECORDNO, so an update of unchanged content hashes like its create. */
  hashed = cb_intacct_record_new (cb_intacct_record_get_name (record));
  for (guint i = 0; i < cb_intacct_record_get_n_children (record); i++)
    {
      CbIntacctRecord *c = cb_intacct_record_get_nth_child (record, i);

      if (g_ascii_strcasecmp (cb_intacct_record_get_name (c), "RECORDNO") != 0)
        cb_intacct_record_append (hashed, cb_intacct_record_copy (c));
    }
  json = cb_plan_record_to_json_string (hashed);
  item->content_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, json, -1);
}

void
cb_plan_item_block (CbPlanItem   *item,
                    const char   *reason,
                    CbPlanFixKind fix_kind,
                    int           fix_sub_kind,
                    const char   *fix_target)
{
  item->blocked = TRUE;
  item->action = CB_PLAN_ACTION_NONE;
  g_free (item->blocked_reason);
  item->blocked_reason = g_strdup (reason);
  item->fix_kind = fix_kind;
  if (fix_kind == CB_PLAN_FIX_MAPPING)
    item->fix_mapping_kind = fix_sub_kind;
  else if (fix_kind == CB_PLAN_FIX_RECORD)
    item->fix_job_kind = fix_sub_kind;
  g_free (item->fix_target);
  item->fix_target = g_strdup (fix_target);
  cb_plan_item_set_record (item, NULL);
}

const char *
cb_plan_item_get_field (const CbPlanItem *item,
                        const char       *name)
{
  for (guint i = 0; i < item->fields->len; i++)
    {
      CbPlanField *f = g_ptr_array_index (item->fields, i);

      if (g_ascii_strcasecmp (f->name, name) == 0)
        return f->value;
    }
  return NULL;
}

/* ---- plans ---------------------------------------------------------------------------------- */

struct _CbPlan
{
  gatomicrefcount  ref;
  char            *profile_id;
  GPtrArray       *items;
  GHashTable      *by_key;
  guint            unchanged[CB_PLAN_N_KINDS];
};

CbPlan *
cb_plan_new (const char *profile_id)
{
  CbPlan *plan = g_new0 (CbPlan, 1);

  g_atomic_ref_count_init (&plan->ref);
  plan->profile_id = g_strdup (profile_id);
  plan->items = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_plan_item_free);
  plan->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  return plan;
}

CbPlan *
cb_plan_ref (CbPlan *plan)
{
  g_atomic_ref_count_inc (&plan->ref);
  return plan;
}

void
cb_plan_unref (CbPlan *plan)
{
  if (!g_atomic_ref_count_dec (&plan->ref))
    return;
  g_hash_table_unref (plan->by_key);
  g_ptr_array_unref (plan->items);
  g_free (plan->profile_id);
  g_free (plan);
}

const char *
cb_plan_get_profile_id (const CbPlan *plan)
{
  return plan->profile_id;
}

void
cb_plan_add_item (CbPlan     *plan,
                  CbPlanItem *item)
{
  g_ptr_array_add (plan->items, item);
  if (item->key != NULL)
    g_hash_table_insert (plan->by_key, item->key, item);
}

GPtrArray *
cb_plan_get_items (const CbPlan *plan)
{
  return plan->items;
}

CbPlanItem *
cb_plan_find_item (const CbPlan *plan,
                   const char   *key)
{
  return g_hash_table_lookup (plan->by_key, key);
}

void
cb_plan_get_counts (const CbPlan *plan,
                    CbPlanCounts *counts)
{
  memset (counts, 0, sizeof *counts);
  for (guint i = 0; i < plan->items->len; i++)
    {
      CbPlanItem *item = g_ptr_array_index (plan->items, i);
      CbPlanKindCounts *k = &counts->kinds[item->kind];

      if (item->blocked)
        {
          k->blocked++;
          counts->blocked++;
          continue;
        }
      switch (item->action)
        {
        case CB_PLAN_ACTION_CREATE: k->create++; break;
        case CB_PLAN_ACTION_UPDATE: k->update++; break;
        case CB_PLAN_ACTION_ENSURE: k->ensure++; break;
        case CB_PLAN_ACTION_NONE:
        default: continue;
        }
      counts->to_write++;
      if (item->kind == CB_PLAN_KIND_BILL)
        counts->bill_cents += item->amount_cents;
    }
  for (guint k = 0; k < CB_PLAN_N_KINDS; k++)
    {
      counts->kinds[k].unchanged = plan->unchanged[k];
      counts->unchanged += plan->unchanged[k];
    }
}

static void
add_str (JsonBuilder *b,
         const char  *name,
         const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
fields_to_json (JsonBuilder *b,
                GPtrArray   *fields)
{
  json_builder_begin_object (b);
  for (guint i = 0; i < fields->len; i++)
    {
      CbPlanField *f = g_ptr_array_index (fields, i);

      add_str (b, f->name, f->value);
    }
  json_builder_end_object (b);
}

JsonNode *
cb_plan_to_json (const CbPlan *plan,
                 gboolean      with_fields)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  CbPlanCounts counts;

  cb_plan_get_counts (plan, &counts);
  json_builder_begin_object (b);
  add_str (b, "profile", plan->profile_id);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "to_write");
  json_builder_add_int_value (b, counts.to_write);
  json_builder_set_member_name (b, "blocked");
  json_builder_add_int_value (b, counts.blocked);
  json_builder_set_member_name (b, "unchanged");
  json_builder_add_int_value (b, counts.unchanged);
  json_builder_set_member_name (b, "bill_cents");
  json_builder_add_int_value (b, counts.bill_cents);
  json_builder_set_member_name (b, "kinds");
  json_builder_begin_object (b);
  for (guint k = 0; k < CB_PLAN_N_KINDS; k++)
    {
      json_builder_set_member_name (b, kinds[k].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "create");
      json_builder_add_int_value (b, counts.kinds[k].create);
      json_builder_set_member_name (b, "update");
      json_builder_add_int_value (b, counts.kinds[k].update);
      json_builder_set_member_name (b, "ensure");
      json_builder_add_int_value (b, counts.kinds[k].ensure);
      json_builder_set_member_name (b, "blocked");
      json_builder_add_int_value (b, counts.kinds[k].blocked);
      json_builder_set_member_name (b, "unchanged");
      json_builder_add_int_value (b, counts.kinds[k].unchanged);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < plan->items->len; i++)
    {
      CbPlanItem *item = g_ptr_array_index (plan->items, i);
      static const char * const fix_names[] = { NULL, "mapping", "default", "record" };

      json_builder_begin_object (b);
      add_str (b, "kind", kinds[item->kind].name);
      add_str (b, "action", cb_plan_action_to_string (item->action));
      add_str (b, "key", item->key);
      add_str (b, "label", item->label);
      add_str (b, "job_id", item->job_id);
      add_str (b, "intacct_object", item->intacct_object);
      add_str (b, "intacct_id", item->intacct_id);
      json_builder_set_member_name (b, "blocked");
      json_builder_add_boolean_value (b, item->blocked);
      add_str (b, "reason", item->blocked_reason);
      json_builder_set_member_name (b, "fix");
      if (item->fix_kind == CB_PLAN_FIX_NONE)
        json_builder_add_null_value (b);
      else
        {
          json_builder_begin_object (b);
          add_str (b, "kind", fix_names[item->fix_kind]);
          add_str (b, "mapping", item->fix_kind == CB_PLAN_FIX_MAPPING ?
                   cb_mapping_kind_to_string (item->fix_mapping_kind) : NULL);
          add_str (b, "target", item->fix_target);
          json_builder_end_object (b);
        }
      if (item->kind == CB_PLAN_KIND_BILL)
        {
          json_builder_set_member_name (b, "amount_cents");
          json_builder_add_int_value (b, item->amount_cents);
        }
      if (with_fields)
        {
          json_builder_set_member_name (b, "fields");
          fields_to_json (b, item->fields);
          json_builder_set_member_name (b, "lines");
          json_builder_begin_array (b);
          for (guint l = 0; l < item->lines->len; l++)
            fields_to_json (b, g_ptr_array_index (item->lines, l));
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- the planner ---------------------------------------------------------------------------- */

typedef struct
{
  CbDatabase          *db;
  const CbProfile     *profile;
  const CbPlanOptions *options;
  CbPlan              *plan;
  GHashTable          *targets[CB_MAPPING_N_KINDS];
  GHashTable          *records[CB_JOB_N_KINDS];   /* id → CbJobRecord (borrowed from lists) */
  GPtrArray           *lists[CB_JOB_N_KINDS];
  GHashTable          *only;                      /* keys, or NULL */
  GPtrArray           *staged[CB_PLAN_N_STAGES];  /* items by stage, until the end */
  GHashTable          *seen;                      /* TASK/COSTTYPE keys considered */
  GHashTable          *accounts;                  /* "P/T/C" → cost type's GL account */
} Planner;

static gboolean
wanted (Planner    *p,
        const char *key)
{
  return p->only == NULL || g_hash_table_contains (p->only, key);
}

static CbPlanItem *
find_staged (Planner    *p,
             const char *key)
{
  return cb_plan_find_item (p->plan, key);
}

/* Adds @item unless it was already synced with the same content (then it is counted as
 * unchanged and freed: returns NULL). An earlier sync with other content turns a create into
 * an update of that record, for bills. */
static CbPlanItem *
stage_item (Planner    *p,
            CbPlanItem *item)
{
  g_autofree char *synced_key = NULL;
  g_autofree char *synced_hash = NULL;

  if (!item->blocked &&
      cb_run_store_find_synced (p->db, p->profile->id, item->key, &synced_key, &synced_hash))
    {
      if (g_strcmp0 (synced_hash, item->content_hash) == 0 &&
          !(p->options && p->options->include_unchanged))
        {
          p->plan->unchanged[item->kind]++;
          cb_plan_item_free (item);
          return NULL;
        }
      if (item->kind == CB_PLAN_KIND_BILL && synced_key != NULL)
        {
          CbIntacctRecord *old = item->record;
          CbIntacctRecord *rec = cb_intacct_record_new (cb_intacct_record_get_name (old));

          cb_intacct_record_add_field (rec, "RECORDNO", synced_key);
          for (guint i = 0; i < cb_intacct_record_get_n_children (old); i++)
            cb_intacct_record_append (rec, cb_intacct_record_copy (cb_intacct_record_get_nth_child (old, i)));
          item->action = CB_PLAN_ACTION_UPDATE;
          item->intacct_recordno = g_strdup (synced_key);
          cb_plan_item_set_record (item, rec);
        }
      else if (item->action == CB_PLAN_ACTION_CREATE)
        {
          /* Created by an earlier run, changed since: nothing to create again. */
          p->plan->unchanged[item->kind]++;
          cb_plan_item_free (item);
          return NULL;
        }
    }
  g_ptr_array_add (p->staged[cb_plan_kind_get_stage (item->kind)], item);
  if (item->key)
    g_hash_table_insert (p->plan->by_key, item->key, item);
  return item;
}

static void
set_depends (CbPlanItem *item,
             GPtrArray  *deps)
{
  g_strfreev (item->depends_on);
  item->depends_on = NULL;
  if (deps->len > 0)
    {
      g_ptr_array_add (deps, NULL);
      item->depends_on = g_strdupv ((char **) deps->pdata);
      g_ptr_array_set_size (deps, deps->len - 1);
    }
}

static CbJobRecord *
job_record (Planner    *p,
            CbJobKind   kind,
            const char *id)
{
  return id ? g_hash_table_lookup (p->records[kind], id) : NULL;
}

static const char *
record_display (CbJobRecord *r,
                const char  *fallback)
{
  if (r == NULL)
    return fallback;
  if (r->name && *r->name)
    return r->name;
  return r->code ? r->code : r->id;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
plan_catalogue (Planner      *p,
                CbMappingKind mkind)
{
  GHashTableIter iter;
  gpointer k, v;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  CbJobKind jkind = cb_mapping_kind_job_kind (mkind);

  g_hash_table_iter_init (&iter, p->targets[mkind]);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (((CbMappingTarget *) v)->state == CB_MAPPING_STATE_CREATE)
      g_ptr_array_add (ids, k);
  g_ptr_array_sort (ids, compare_ids);   /* deterministic order */

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      CbJobRecord *r = job_record (p, jkind, id);
      g_autofree char *key = NULL;
      g_autofree char *label = NULL;
      CbPlanKind pkind;
      CbIntacctRecord *rec;
      CbPlanItem *item;
      const char *code;

      switch (mkind)
        {
        case CB_MAPPING_VENDORS: pkind = CB_PLAN_KIND_VENDOR; break;
        case CB_MAPPING_COST_TYPES: pkind = CB_PLAN_KIND_STANDARD_COST_TYPE; break;
        case CB_MAPPING_COST_CODES: pkind = CB_PLAN_KIND_STANDARD_TASK; break;
        case CB_MAPPING_PROJECTS: pkind = CB_PLAN_KIND_PROJECT; break;
        case CB_MAPPING_N_KINDS:
        default: g_return_if_reached ();
        }
      key = g_strdup_printf ("%s:%s", kinds[pkind].name, id);
      if (!wanted (p, key))
        continue;
      label = g_strdup_printf ("%s %s", cb_intacct_object_lookup (kinds[pkind].object) ?
                               _(cb_intacct_object_lookup (kinds[pkind].object)->display_name) :
                               kinds[pkind].object, record_display (r, id));
      item = cb_plan_item_new (pkind, CB_PLAN_ACTION_CREATE, key, jkind, id, label);
      if (r == NULL || r->vanished_at != NULL)
        {
          g_autofree char *why = g_strdup_printf (_("“%s” is no longer in the job system’s "
                                                    "export; import it again or clear its "
                                                    "mapping"), id);

          cb_plan_item_block (item, why, CB_PLAN_FIX_MAPPING, mkind, id);
          stage_item (p, item);
          continue;
        }
      code = (r->code && *r->code) ? r->code : r->id;
      if (pkind == CB_PLAN_KIND_PROJECT)
        code = cb_job_record_get (r, "number") ? cb_job_record_get (r, "number") : r->id;
      item->intacct_id = g_strdup (code);
      rec = cb_intacct_record_new (kinds[pkind].object);
      switch (pkind)
        {
        case CB_PLAN_KIND_VENDOR:
          {
            CbIntacctRecord *contact;

            cb_intacct_record_add_field (rec, "VENDORID", code);
            cb_intacct_record_add_field (rec, "NAME", r->name);
            if (cb_job_record_get (r, "tax_id"))
              cb_intacct_record_add_field (rec, "TAXID", cb_job_record_get (r, "tax_id"));
            cb_intacct_record_add_field (rec, "STATUS",
                                         g_strcmp0 (r->status, "inactive") == 0 ? "inactive" : "active");
            contact = cb_intacct_record_add_child (rec, "DISPLAYCONTACT");
            cb_intacct_record_add_field (contact, "PRINTAS", r->name);
            if (cb_job_record_get (r, "email"))
              cb_intacct_record_add_field (contact, "EMAIL1", cb_job_record_get (r, "email"));
            if (cb_job_record_get (r, "phone"))
              cb_intacct_record_add_field (contact, "PHONE1", cb_job_record_get (r, "phone"));
          }
          break;
        case CB_PLAN_KIND_STANDARD_COST_TYPE:
          cb_intacct_record_add_field (rec, "STANDARDCOSTTYPEID", code);
          cb_intacct_record_add_field (rec, "NAME", r->name);
          break;
        case CB_PLAN_KIND_STANDARD_TASK:
          cb_intacct_record_add_field (rec, "STANDARDTASKID", code);
          cb_intacct_record_add_field (rec, "NAME", r->name);
          break;
        case CB_PLAN_KIND_PROJECT:
          {
            const char *dates[][2] = { { "start_date", "BEGINDATE" }, { "end_date", "ENDDATE" } };

            cb_intacct_record_add_field (rec, "PROJECTID", code);
            cb_intacct_record_add_field (rec, "NAME", r->name);
            cb_intacct_record_add_field (rec, "PROJECTCATEGORY", "Contract");
            for (guint d = 0; d < G_N_ELEMENTS (dates); d++)
              {
                const char *iso = cb_job_record_get (r, dates[d][0]);
                GDate date;

                if (iso == NULL)
                  continue;
                g_date_clear (&date, 1);
                g_date_set_parse (&date, iso);
                if (g_date_valid (&date))
                  {
                    g_autofree char *text = cb_intacct_format_date (&date);

                    cb_intacct_record_add_field (rec, dates[d][1], text);
                  }
              }
            if (p->profile->default_location && *p->profile->default_location)
              cb_intacct_record_add_field (rec, "LOCATIONID", p->profile->default_location);
            if (p->profile->default_department && *p->profile->default_department)
              cb_intacct_record_add_field (rec, "DEPARTMENTID", p->profile->default_department);
          }
          break;
        case CB_PLAN_KIND_TASK:
        case CB_PLAN_KIND_COST_TYPE:
        case CB_PLAN_KIND_BILL:
        case CB_PLAN_N_KINDS:
        default:
          g_assert_not_reached ();
        }
      {
        guint limit = pkind == CB_PLAN_KIND_STANDARD_COST_TYPE ? 12 : 20;

        if (g_utf8_strlen (code, -1) > limit)
          {
            g_autofree char *why = g_strdup_printf (_("Its ID “%s” is longer than the %u "
                                                      "characters Intacct allows; map it to an "
                                                      "existing record instead"), code, limit);

            cb_intacct_record_unref (rec);
            cb_plan_item_block (item, why, CB_PLAN_FIX_MAPPING, mkind, id);
            stage_item (p, item);
            continue;
          }
      }
      cb_plan_item_set_record (item, rec);
      stage_item (p, item);
    }
}

/* What a mapped job-side record is in Intacct: its ID, and the item that creates it (when
 * it is created by this plan). NULL with a reason in @why when the record cannot be used. */
static const char *
resolve (Planner       *p,
         CbMappingKind  mkind,
         const char    *job_id,
         const char   **dep_key,
         char         **why)
{
  CbMappingTarget *t = job_id ? g_hash_table_lookup (p->targets[mkind], job_id) : NULL;
  CbJobRecord *r = job_record (p, cb_mapping_kind_job_kind (mkind), job_id);
  static const char * const singular[] = {
    N_("Cost code"), N_("Cost type"), N_("Vendor"), N_("Job"),
  };
  const char *what = _(singular[mkind]);

  *dep_key = NULL;
  if (r != NULL && r->vanished_at != NULL)
    {
      *why = g_strdup_printf (_("%s “%s” is no longer in the job system’s export: import it "
                                "again, or correct the records that use it"), what,
                              record_display (r, job_id));
      return NULL;
    }
  if (t == NULL || (t->state != CB_MAPPING_STATE_MAPPED && t->state != CB_MAPPING_STATE_CREATE &&
                    t->state != CB_MAPPING_STATE_STALE))
    {
      *why = g_strdup_printf (_("%s “%s” is not mapped to an Intacct record: map it, or mark "
                                "it “Create in Intacct”"), what, record_display (r, job_id));
      return NULL;
    }
  if (t->state == CB_MAPPING_STATE_STALE)
    {
      g_autoptr(CbMappingRow) row = cb_mapping_store_get (p->db, p->profile->id, mkind, job_id, NULL);

      *why = g_strdup_printf (_("%s “%s” is mapped to %s, which changed in Intacct (%s): "
                                "check the mapping"), what, record_display (r, job_id),
                              t->intacct_id ? t->intacct_id : "?",
                              row && row->stale_reason ? row->stale_reason : _("stale"));
      return NULL;
    }
  if (t->state == CB_MAPPING_STATE_CREATE)
    {
      static const CbPlanKind create_kind[] = {
        CB_PLAN_KIND_STANDARD_TASK, CB_PLAN_KIND_STANDARD_COST_TYPE,
        CB_PLAN_KIND_VENDOR, CB_PLAN_KIND_PROJECT,
      };
      g_autofree char *key = g_strdup_printf ("%s:%s", kinds[create_kind[mkind]].name, job_id);
      CbPlanItem *item = find_staged (p, key);

      if (item != NULL && item->blocked)
        {
          *why = g_strdup_printf (_("%s “%s” cannot be created: %s"), what,
                                  record_display (r, job_id), item->blocked_reason);
          return NULL;
        }
      if (item != NULL)
        {
          *dep_key = item->key;
          return item->intacct_id;
        }
      /* created by an earlier run (the mapping is updated when the run ends) */
      if (r != NULL)
        return (mkind == CB_MAPPING_PROJECTS && cb_job_record_get (r, "number")) ?
               cb_job_record_get (r, "number") : (r->code && *r->code ? r->code : r->id);
      *why = g_strdup_printf (_("%s “%s” is no longer in the job system’s export"), what, job_id);
      return NULL;
    }
  if (mkind == CB_MAPPING_PROJECTS)
    {
      g_autoptr(CbCachedRecord) cached = cb_intacct_cache_find (p->db, p->profile->id, "PROJECT",
                                                                t->intacct_id, NULL);

      if (cached != NULL && g_strcmp0 (cached->status, "inactive") == 0)
        {
          *why = g_strdup_printf (_("Project %s is inactive in Intacct: make it active, or map "
                                    "job “%s” to another project"), t->intacct_id,
                                  record_display (r, job_id));
          return NULL;
        }
    }
  return t->intacct_id;
}

static char *
format_cents (gint64 cents)
{
  guint64 a = cents < 0 ? (guint64) -cents : (guint64) cents;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", cents < 0 ? "-" : "",
                          a / 100, (guint) (a % 100));
}

static gboolean
parse_iso_date (const char *iso,
                GDate      *date)
{
  guint y, m, d;
  char tail;

  g_date_clear (date, 1);
  if (iso == NULL || sscanf (iso, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

/* TASK and COSTTYPE items a bill line needs. */
static const char *
need_task (Planner    *p,
           const char *project_id,
           const char *project_dep,
           const char *task_id,
           const char *task_dep,
           const char *task_name)
{
  g_autofree char *key = g_strdup_printf ("task:%s/%s", project_id, task_id);
  CbPlanItem *item = find_staged (p, key);
  g_autoptr(GPtrArray) deps = g_ptr_array_new ();
  g_autofree char *label = NULL;
  CbIntacctRecord *rec;

  if (item != NULL)
    return item->key;
  if (!g_hash_table_add (p->seen, g_strdup (key)))
    return NULL;   /* already synced and unchanged */
  label = g_strdup_printf (_("Task %s of project %s"), task_id, project_id);
  item = cb_plan_item_new (CB_PLAN_KIND_TASK,
                           project_dep ? CB_PLAN_ACTION_CREATE : CB_PLAN_ACTION_ENSURE,
                           key, CB_JOB_KIND_COST_CODE, NULL, label);
  item->intacct_id = g_strdup (task_id);
  item->intacct_parent = g_strdup (project_id);
  rec = cb_intacct_record_new ("TASK");
  cb_intacct_record_add_field (rec, "TASKID", task_id);
  cb_intacct_record_add_field (rec, "NAME", task_name ? task_name : task_id);
  cb_intacct_record_add_field (rec, "PROJECTID", project_id);
  cb_intacct_record_add_field (rec, "STANDARDTASKID", task_id);
  cb_intacct_record_add_field (rec, "TASKSTATUS", "In Progress");
  cb_plan_item_set_record (item, rec);
  if (project_dep)
    g_ptr_array_add (deps, (gpointer) project_dep);
  if (task_dep)
    g_ptr_array_add (deps, (gpointer) task_dep);
  set_depends (item, deps);
  item = stage_item (p, item);
  return item ? item->key : NULL;
}

static const char *
need_cost_type (Planner    *p,
                const char *project_id,
                const char *task_id,
                const char *task_dep,
                const char *cost_type_id,
                const char *cost_type_dep,
                const char *cost_type_name)
{
  g_autofree char *key = g_strdup_printf ("cost_type:%s/%s/%s", project_id, task_id, cost_type_id);
  CbPlanItem *item = find_staged (p, key);
  g_autoptr(GPtrArray) deps = g_ptr_array_new ();
  g_autofree char *label = NULL;
  CbIntacctRecord *rec;

  if (item != NULL)
    return item->key;
  if (!g_hash_table_add (p->seen, g_strdup (key)))
    return NULL;
  label = g_strdup_printf (_("Cost type %s of task %s, project %s"), cost_type_id, task_id,
                           project_id);
  item = cb_plan_item_new (CB_PLAN_KIND_COST_TYPE,
                           task_dep && find_staged (p, task_dep) &&
                           find_staged (p, task_dep)->action == CB_PLAN_ACTION_CREATE ?
                           CB_PLAN_ACTION_CREATE : CB_PLAN_ACTION_ENSURE,
                           key, CB_JOB_KIND_COST_TYPE, NULL, label);
  item->intacct_id = g_strdup (cost_type_id);
  item->intacct_parent = g_strdup_printf ("%s/%s", project_id, task_id);
  rec = cb_intacct_record_new ("COSTTYPE");
  cb_intacct_record_add_field (rec, "COSTTYPEID", cost_type_id);
  cb_intacct_record_add_field (rec, "NAME", cost_type_name ? cost_type_name : cost_type_id);
  cb_intacct_record_add_field (rec, "STANDARDCOSTTYPEID", cost_type_id);
  cb_intacct_record_add_field (rec, "PROJECTID", project_id);
  cb_intacct_record_add_field (rec, "TASKID", task_id);
  cb_plan_item_set_record (item, rec);
  if (task_dep)
    g_ptr_array_add (deps, (gpointer) task_dep);
  if (cost_type_dep)
    g_ptr_array_add (deps, (gpointer) cost_type_dep);
  set_depends (item, deps);
  item = stage_item (p, item);
  return item ? item->key : NULL;
}

/* The GL account of cost type @ct_id of the project's task (its COSTTYPE in the cache), else
 * of the standard cost type; NULL when Intacct has none. Remembered per key. */
static const char *
cost_type_account (Planner    *p,
                   const char *project_id,
                   const char *task_id,
                   const char *ct_id)
{
  g_autofree char *key = g_strdup_printf ("%s/%s/%s", project_id, task_id, ct_id);
  const char *objects[] = { "COSTTYPE", "STANDARDCOSTTYPE" };
  char *account = NULL;
  gpointer found;

  if (g_hash_table_lookup_extended (p->accounts, key, NULL, &found))
    return found;
  for (guint i = 0; i < G_N_ELEMENTS (objects) && account == NULL; i++)
    {
      sqlite3_stmt *stmt = cb_database_prepare (p->db, i == 0 ?
                                                "SELECT json_extract (fields, '$.ACCOUNTNO') "
                                                "FROM intacct_records WHERE profile_id = ? "
                                                "AND object = 'COSTTYPE' AND id = ? "
                                                "AND json_extract (fields, '$.PROJECTID') = ? "
                                                "AND json_extract (fields, '$.TASKID') = ?" :
                                                "SELECT json_extract (fields, '$.ACCOUNTNO') "
                                                "FROM intacct_records WHERE profile_id = ? "
                                                "AND object = 'STANDARDCOSTTYPE' AND id = ?",
                                                NULL);

      if (stmt == NULL)
        break;
      cb_database_bind_text (stmt, 1, p->profile->id);
      cb_database_bind_text (stmt, 2, ct_id);
      if (i == 0)
        {
          cb_database_bind_text (stmt, 3, project_id);
          cb_database_bind_text (stmt, 4, task_id);
        }
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL &&
          *sqlite3_column_text (stmt, 0) != '\0')
        account = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
    }
  g_hash_table_insert (p->accounts, g_steal_pointer (&key), account);
  return account;
}

static void
plan_bill (Planner     *p,
           CbJobRecord *bill)
{
  const CbProfile *profile = p->profile;
  g_autofree char *key = g_strdup_printf ("bill:%s", bill->id);
  g_autofree char *label = NULL;
  g_autofree char *why = NULL;
  g_autoptr(CbPlanItem) item = NULL;
  g_autoptr(CbIntacctRecord) rec = NULL;
  g_autoptr(GPtrArray) deps = g_ptr_array_new ();
  g_autoptr(GPtrArray) needs = g_ptr_array_new_with_free_func (g_free);
  const char *vendor_job = cb_job_record_get (bill, "vendor_id");
  CbJobRecord *vendor = job_record (p, CB_JOB_KIND_VENDOR, vendor_job);
  const char *number = cb_job_record_get (bill, "number");
  const char *vendor_id, *dep;
  GDate date, due;

  if (!wanted (p, key))
    return;
  label = g_strdup_printf (_("Bill %s from %s"), number ? number : bill->id,
                           record_display (vendor, vendor_job ? vendor_job : "?"));
  item = cb_plan_item_new (CB_PLAN_KIND_BILL, CB_PLAN_ACTION_CREATE, key, CB_JOB_KIND_BILL,
                           bill->id, label);
  item->intacct_id = g_strdup (number);
  item->amount_cents = cb_job_record_total_cents (bill);

#define BLOCK(reason, fk, sub, target) G_STMT_START { \
    cb_plan_item_block (item, reason, fk, sub, target); \
    stage_item (p, g_steal_pointer (&item)); \
    return; \
  } G_STMT_END

  if (bill->vanished_at != NULL)
    {
      if (cb_run_store_find_synced (p->db, profile->id, key, NULL, NULL))
        return;   /* synced before it left the export: nothing to do */
      why = g_strdup_printf (_("Bill %s is no longer in the job system’s export"), number);
      BLOCK (why, CB_PLAN_FIX_RECORD, CB_JOB_KIND_BILL, bill->id);
    }
  if (bill->lines == NULL || bill->lines->len == 0)
    BLOCK (_("The bill has no lines"), CB_PLAN_FIX_RECORD, CB_JOB_KIND_BILL, bill->id);

  vendor_id = resolve (p, CB_MAPPING_VENDORS, vendor_job, &dep, &why);
  if (vendor_id == NULL)
    BLOCK (why, CB_PLAN_FIX_MAPPING, CB_MAPPING_VENDORS, vendor_job);
  item->intacct_parent = g_strdup (vendor_id);
  if (dep)
    g_ptr_array_add (deps, (gpointer) dep);

  {
    const char *date_field = "date";
    g_autoptr(GDateTime) when = NULL;

    if (profile->bill_date_rule == CB_BILL_DATE_SYNC_DAY)
      when = p->options && p->options->now ? g_date_time_ref (p->options->now) :
             g_date_time_new_now_local ();
    else if (profile->bill_date_rule == CB_BILL_DATE_IMPORT_DAY && bill->first_seen)
      when = g_date_time_to_local (bill->first_seen);
    if (when != NULL)
      g_date_set_dmy (&date, g_date_time_get_day_of_month (when),
                      g_date_time_get_month (when), g_date_time_get_year (when));
    else if (!parse_iso_date (cb_job_record_get (bill, date_field), &date))
      BLOCK (_("The bill has no valid date"), CB_PLAN_FIX_RECORD, CB_JOB_KIND_BILL, bill->id);
    if (!parse_iso_date (cb_job_record_get (bill, "due_date"), &due))
      due = date;
  }

  rec = cb_intacct_apbill_new (vendor_id, number, &date, &due, cb_job_record_get (bill, "currency"));
  for (guint i = 0; i < bill->lines->len; i++)
    {
      CbJobLine *line = g_ptr_array_index (bill->lines, i);
      const char *project_id, *project_dep, *task_id, *task_dep, *ct_id = NULL, *ct_dep = NULL;
      const char *account = line->gl_account && *line->gl_account ? line->gl_account : NULL;
      g_autofree char *amount = format_cents (line->amount_cents);
      CbJobRecord *code_rec = job_record (p, CB_JOB_KIND_COST_CODE, line->cost_code_id);

      if (line->job_id == NULL || *line->job_id == '\0')
        {
          why = g_strdup_printf (_("Line %u has no job, so it cannot carry a task or cost type "
                                   "(COSTTYPEID needs PROJECTID and TASKID)"), line->line_no);
          BLOCK (why, CB_PLAN_FIX_RECORD, CB_JOB_KIND_BILL, bill->id);
        }
      project_id = resolve (p, CB_MAPPING_PROJECTS, line->job_id, &project_dep, &why);
      if (project_id == NULL)
        BLOCK (why, CB_PLAN_FIX_MAPPING, CB_MAPPING_PROJECTS, line->job_id);
      task_id = resolve (p, CB_MAPPING_COST_CODES, line->cost_code_id, &task_dep, &why);
      if (task_id == NULL)
        BLOCK (why, CB_PLAN_FIX_MAPPING, CB_MAPPING_COST_CODES, line->cost_code_id);
      if (line->cost_type_id != NULL && *line->cost_type_id != '\0')
        {
          ct_id = resolve (p, CB_MAPPING_COST_TYPES, line->cost_type_id, &ct_dep, &why);
          if (ct_id == NULL)
            BLOCK (why, CB_PLAN_FIX_MAPPING, CB_MAPPING_COST_TYPES, line->cost_type_id);
        }
      else if (profile->missing_cost_type_rule == CB_MISSING_COST_TYPE_DEFAULT)
        {
          ct_id = profile->default_cost_type;
          if (ct_id == NULL || *ct_id == '\0')
            {
              why = g_strdup_printf (_("Line %u has no cost type, and the company has no "
                                       "default cost type: set one in the accounting defaults"),
                                     line->line_no);
              BLOCK (why, CB_PLAN_FIX_DEFAULT, 0, "default_cost_type");
            }
        }
      else if (profile->missing_cost_type_rule == CB_MISSING_COST_TYPE_BLOCK)
        {
          why = g_strdup_printf (_("Line %u has no cost type: give it one in the job system, or "
                                   "choose a default cost type in the accounting defaults"),
                                 line->line_no);
          BLOCK (why, CB_PLAN_FIX_DEFAULT, 0, "default_cost_type");
        }
      /* The expense account (the debit side): the line's own, else its cost type's in
       * Intacct (the project's cost type, else the standard cost type). Never the AP
       * account: that is the liability the bill credits. The profile has no default
       * expense account, so a line with none of these cannot go. */
      if (account == NULL && ct_id != NULL)
        account = cost_type_account (p, project_id, task_id, ct_id);
      if (account == NULL || *account == '\0')
        {
          if (ct_id == NULL)
            {
              why = g_strdup_printf (_("Line %u has no GL expense account and no cost type to "
                                       "take one from: give the line a GL account in the job "
                                       "system, or a cost type"), line->line_no);
              BLOCK (why, CB_PLAN_FIX_RECORD, CB_JOB_KIND_BILL, bill->id);
            }
          why = g_strdup_printf (_("Line %u has no GL expense account: cost type %s has none "
                                   "in Intacct (set its GL account there and refresh, map the "
                                   "cost type to one that has, or give the line a GL account "
                                   "in the job system)"), line->line_no, ct_id);
          if (line->cost_type_id != NULL && *line->cost_type_id != '\0')
            BLOCK (why, CB_PLAN_FIX_MAPPING, CB_MAPPING_COST_TYPES, line->cost_type_id);
          BLOCK (why, CB_PLAN_FIX_DEFAULT, 0, "default_cost_type");
        }
      if (project_dep)
        g_ptr_array_add (needs, g_strdup (project_dep));
      /* remember what to create once the whole bill is known to go */
      g_ptr_array_add (needs, g_strdup_printf ("T\n%s\n%s\n%s\n%s\n%s", project_id,
                                               project_dep ? project_dep : "",
                                               task_id, task_dep ? task_dep : "",
                                               code_rec && code_rec->name ? code_rec->name : task_id));
      if (ct_id)
        {
          CbJobRecord *ct_rec = job_record (p, CB_JOB_KIND_COST_TYPE, line->cost_type_id);

          g_ptr_array_add (needs, g_strdup_printf ("C\n%s\n%s\n%s\n%s\n%s", project_id, task_id,
                                                   ct_id, ct_dep ? ct_dep : "",
                                                   ct_rec && ct_rec->name ? ct_rec->name : ct_id));
        }
      cb_intacct_apbill_add_line (rec, account, amount, line->memo, project_id, task_id, ct_id,
                                  profile->default_location && *profile->default_location ?
                                  profile->default_location : NULL,
                                  profile->default_department && *profile->default_department ?
                                  profile->default_department : NULL,
                                  NULL);
    }
  if (bill->name && *bill->name)
    cb_intacct_record_set_field (rec, "DESCRIPTION", bill->name);
#undef BLOCK

  /* the bill goes: plan its tasks and cost types */
  for (guint i = 0; i < needs->len; i++)
    {
      g_auto(GStrv) f = g_strsplit (g_ptr_array_index (needs, i), "\n", -1);
      const char *k = NULL;

      if (g_strv_length (f) == 1)
        continue;
      if (f[0][0] == 'T')
        {
          const char *project_dep = *f[2] ? cb_plan_find_item (p->plan, f[2])->key : NULL;
          const char *task_dep = *f[4] ? cb_plan_find_item (p->plan, f[4])->key : NULL;

          k = need_task (p, f[1], project_dep, f[3], task_dep, f[5]);
        }
      else
        {
          g_autofree char *tkey = g_strdup_printf ("task:%s/%s", f[1], f[2]);
          CbPlanItem *t = cb_plan_find_item (p->plan, tkey);
          const char *ct_dep = *f[4] ? cb_plan_find_item (p->plan, f[4])->key : NULL;

          k = need_cost_type (p, f[1], f[2], t ? t->key : NULL, f[3], ct_dep, f[5]);
        }
      if (k != NULL && !g_ptr_array_find_with_equal_func (deps, k, g_str_equal, NULL))
        g_ptr_array_add (deps, (gpointer) k);
    }
  for (guint i = 0; i < needs->len; i++)
    {
      const char *n = g_ptr_array_index (needs, i);

      if (strchr (n, '\n') == NULL)
        {
          CbPlanItem *d = cb_plan_find_item (p->plan, n);

          if (d && !g_ptr_array_find_with_equal_func (deps, d->key, g_str_equal, NULL))
            g_ptr_array_add (deps, d->key);
        }
    }
  set_depends (item, deps);
  cb_plan_item_set_record (item, g_steal_pointer (&rec));
  stage_item (p, g_steal_pointer (&item));
}

CbPlan *
cb_planner_build (CbDatabase          *db,
                  const CbProfile     *profile,
                  const CbPlanOptions *options,
                  GError             **error)
{
  Planner p = { db, profile, options, NULL, { NULL }, { NULL }, { NULL }, NULL, { NULL }, NULL,
                NULL };
  g_autoptr(CbPlan) plan = cb_plan_new (profile->id);
  static const CbJobKind loaded[] = {
    CB_JOB_KIND_JOB, CB_JOB_KIND_COST_CODE, CB_JOB_KIND_COST_TYPE, CB_JOB_KIND_VENDOR,
  };
  CbJobQuery all = { NULL, TRUE, FALSE, 0, 0 };
  CbJobQuery bills = { NULL, TRUE, TRUE, 0, 0 };
  gboolean ok = FALSE;

  p.plan = plan;
  p.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  p.accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint s = 0; s < CB_PLAN_N_STAGES; s++)
    p.staged[s] = g_ptr_array_new ();
  if (options && options->only_keys)
    {
      p.only = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; options->only_keys[i]; i++)
        g_hash_table_add (p.only, (gpointer) options->only_keys[i]);
    }
  for (guint m = 0; m < CB_MAPPING_N_KINDS; m++)
    if ((p.targets[m] = cb_mapping_store_targets (db, profile->id, m, error)) == NULL)
      goto out;
  for (guint i = 0; i < G_N_ELEMENTS (loaded); i++)
    {
      CbJobKind k = loaded[i];

      if ((p.lists[k] = cb_job_store_list (db, profile->id, k, &all, error)) == NULL)
        goto out;
      p.records[k] = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint r = 0; r < p.lists[k]->len; r++)
        {
          CbJobRecord *rec = g_ptr_array_index (p.lists[k], r);

          g_hash_table_insert (p.records[k], rec->id, rec);
        }
    }
  if ((p.lists[CB_JOB_KIND_BILL] = cb_job_store_list (db, profile->id, CB_JOB_KIND_BILL, &bills,
                                                      error)) == NULL)
    goto out;

  plan_catalogue (&p, CB_MAPPING_VENDORS);
  plan_catalogue (&p, CB_MAPPING_COST_TYPES);
  plan_catalogue (&p, CB_MAPPING_COST_CODES);
  plan_catalogue (&p, CB_MAPPING_PROJECTS);
  for (guint i = 0; i < p.lists[CB_JOB_KIND_BILL]->len; i++)
    plan_bill (&p, g_ptr_array_index (p.lists[CB_JOB_KIND_BILL], i));

  /* the plan's items in stage order */
  g_hash_table_remove_all (plan->by_key);
  for (guint s = 0; s < CB_PLAN_N_STAGES; s++)
    for (guint i = 0; i < p.staged[s]->len; i++)
      cb_plan_add_item (plan, g_ptr_array_index (p.staged[s], i));
  ok = TRUE;

out:
  for (guint s = 0; s < CB_PLAN_N_STAGES; s++)
    {
      if (!ok)
        g_ptr_array_set_free_func (p.staged[s], (GDestroyNotify) cb_plan_item_free);
      g_ptr_array_unref (p.staged[s]);
    }
  for (guint m = 0; m < CB_MAPPING_N_KINDS; m++)
    g_clear_pointer (&p.targets[m], g_hash_table_unref);
  for (guint k = 0; k < CB_JOB_N_KINDS; k++)
    {
      g_clear_pointer (&p.records[k], g_hash_table_unref);
      g_clear_pointer (&p.lists[k], g_ptr_array_unref);
    }
  g_clear_pointer (&p.only, g_hash_table_unref);
  g_hash_table_unref (p.seen);
  g_hash_table_unref (p.accounts);
  return ok ? g_steal_pointer (&plan) : NULL;
}

/* Building in a worker ------------------------------------------------------------------ */

typedef struct
{
  char *db_path;
  char *profile_id;
} BuildData;

static void
build_data_free (gpointer data)
{
  BuildData *bd = data;

  g_free (bd->db_path);
  g_free (bd->profile_id);
  g_free (bd);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *bd = task_data;
  g_autoptr(CbDatabase) db = NULL;
  g_autoptr(CbProfile) profile = NULL;
  CbPlan *plan = NULL;
  GError *error = NULL;

  db = cb_database_open (bd->db_path, &error);
  if (db != NULL)
    profile = cb_profile_load (db, bd->profile_id, &error);
  if (profile != NULL)
    plan = cb_planner_build (db, profile, NULL, &error);

  if (plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plan, (GDestroyNotify) cb_plan_unref);
}

void
cb_planner_build_async (gpointer             source_object,
                        const char          *db_path,
                        const char          *profile_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BuildData *bd;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (profile_id != NULL);

  bd = g_new0 (BuildData, 1);
  bd->db_path = g_strdup (db_path);
  bd->profile_id = g_strdup (profile_id);

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_planner_build_async);
  g_task_set_task_data (task, bd, build_data_free);
  g_task_run_in_thread (task, build_thread);
}

CbPlan *
cb_planner_build_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cb_planner_build_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
