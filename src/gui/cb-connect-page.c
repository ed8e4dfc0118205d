/* cb-connect-page.c: the connection assistant (welcome, form, entity, probe, defaults)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One widget with a GtkStack of steps. Every call that talks to Intacct or to the keyring
 * runs in a GTask thread; the callbacks hold only a weak reference to the page, so closing
 * the window while a worker runs is safe. Only one worker runs at a time (the client is
 * used by one thread at a time). Passwords live in the keyring; "for this run only" keeps
 * them in this object and wipes them when it is finalized.
 */

#define G_LOG_DOMAIN "cb-connect-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-connect-page.h"

#include "cb-connection.h"
#include "cb-error.h"
#include "cb-intacct-cache.h"
#include "cb-secret-store.h"
#include "cb-sandbox.h"

#define SETUP_HELP_URI "help:" PACKAGE_NAME "/intacct-setup"

typedef enum
{
  PICKER_AP_ACCOUNT,
  PICKER_LOCATION,
  PICKER_DEPARTMENT,
  PICKER_ITEM,
  PICKER_COST_TYPE,
  N_PICKERS
} PickerKind;

static const struct
{
  const char *object;
  const char *name;      /* widget name, for tests */
  const char *title;
  const char *subtitle;
} pickers[N_PICKERS] = {
  { "GLACCOUNT", "ap-account", N_("AP account"), N_("The accounts payable account for bills") },
  { "LOCATION", "location", N_("Location"), N_("Used on bill lines that name none") },
  { "DEPARTMENT", "department", N_("Department"), N_("Used on bill lines that name none") },
  { "ITEM", "item", N_("Item"), N_("Used on bill lines that name none") },
  { "STANDARDCOSTTYPE", "cost-type", N_("Cost type"), N_("Used when a bill line has no cost type, if the rule below says so") },
};

struct _CbConnectPage
{
  GtkWidget             parent_instance;

  CbDatabase           *db;
  CbProfile            *profile;
  CbIntacctClient      *client;
  char                 *demo_endpoint;
  /* "Use for this run only": held here, never written anywhere, wiped in finalize. */
  char                 *run_profile_id;
  char                 *run_user_password;
  char                 *run_sender_password;
  GCancellable         *cancellable;
  gboolean              busy;
  gboolean              filling;

  GtkStack             *stack;
  GtkWidget            *switcher;

  /* form */
  AdwEntryRow          *company_row;
  AdwEntryRow          *user_row;
  AdwPasswordEntryRow  *user_password_row;
  AdwEntryRow          *sender_row;
  AdwPasswordEntryRow  *sender_password_row;
  AdwEntryRow          *entity_row;
  AdwEntryRow          *endpoint_row;
  GtkLabel             *form_message;
  GtkLabel             *field_hint;
  GtkButton            *test_button;
  GtkButton            *cancel_button;
  GtkSpinner           *test_spinner;
  GtkLabel             *test_status;
  GtkWidget            *diagnosis_box;
  GtkLabel             *diagnosis_title;
  GtkLabel             *diagnosis_advice;
  GtkLabel             *diagnosis_support;

  /* entities */
  GtkSearchEntry       *entity_search;
  GtkListBox           *entity_list;
  GtkLabel             *entity_status;

  /* probe */
  GtkButton            *probe_button;
  GtkProgressBar       *probe_progress;
  GtkListBox           *probe_list;
  GtkLabel             *probe_status;

  /* defaults */
  AdwActionRow         *picker_rows[N_PICKERS];
  GtkDropDown          *picker_dropdowns[N_PICKERS];
  GPtrArray            *picker_ids[N_PICKERS];
  AdwComboRow          *date_rule_row;
  AdwComboRow          *cost_type_rule_row;
  GtkLabel             *refresh_label;
  GtkButton            *refresh_button;
  GtkLabel             *defaults_message;
};

G_DEFINE_FINAL_TYPE (CbConnectPage, cb_connect_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STEP,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DEMO_REQUESTED,
  PROFILES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load_defaults_pickers (CbConnectPage *self);
static void start_refresh         (CbConnectPage *self);

/* Helpers */

static void
set_busy (CbConnectPage *self,
          gboolean       busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static GCancellable *
new_cancellable (CbConnectPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  return self->cancellable;
}

static GWeakRef *
weak_new (gpointer object)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, object);
  return weak;
}

static void
weak_free (GWeakRef *weak)
{
  g_weak_ref_clear (weak);
  g_free (weak);
}

/* Takes ownership of @weak; returns a strong reference to the page or NULL. */
static CbConnectPage *
weak_steal (GWeakRef *weak)
{
  CbConnectPage *self = g_weak_ref_get (weak);

  weak_free (weak);
  return self;
}

static char *
row_text (gpointer row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
set_row_error (gpointer row,
               gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
new_page (void)
{
  return adw_preferences_page_new ();
}

static AdwPreferencesGroup *
add_group (GtkWidget  *page,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  return ADW_PREFERENCES_GROUP (group);
}

static GtkLabel *
new_wrapped_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return GTK_LABEL (label);
}

static GtkButton *
new_pill_button (const char *label,
                 const char *css_class)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_add_css_class (button, "pill");
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);

  return GTK_BUTTON (button);
}

static void
profile_set_string (char       **field,
                    const char  *value)
{
  g_free (*field);
  *field = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
}

/* The form */

static gboolean
field_has_space (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        return TRUE;
    }

  return FALSE;
}

/* Validates as the user types; returns whether the form can be tested. */
static gboolean
validate_form (CbConnectPage *self)
{
  struct { gpointer row; gboolean password; const char *name; } fields[] = {
    { self->company_row, FALSE, _("Company ID") },
    { self->user_row, FALSE, _("User ID") },
    { self->user_password_row, TRUE, _("User password") },
    { self->sender_row, FALSE, _("Sender ID") },
    { self->sender_password_row, TRUE, _("Sender password") },
  };
  g_autofree char *first_problem = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *endpoint = NULL;
  gboolean valid = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *raw = gtk_editable_get_text (GTK_EDITABLE (fields[i].row));
      g_autofree char *text = g_strstrip (g_strdup (raw));
      gboolean touched = g_object_get_data (G_OBJECT (fields[i].row), "cb-touched") != NULL;
      gboolean bad = FALSE;
      g_autofree char *problem = NULL;

      if (*text == '\0')
        {
          bad = touched;
          valid = FALSE;
          /* Translators: %s is a field name such as "Company ID" */
          problem = g_strdup_printf (_("%s is required."), fields[i].name);
        }
      else if (!fields[i].password && field_has_space (text))
        {
          bad = TRUE;
          valid = FALSE;
          /* Translators: %s is a field name such as "Company ID" */
          problem = g_strdup_printf (_("%s cannot contain spaces."), fields[i].name);
        }

      set_row_error (fields[i].row, bad);
      if (bad && first_problem == NULL)
        first_problem = g_steal_pointer (&problem);
    }

  entity = row_text (self->entity_row);
  if (field_has_space (entity))
    {
      set_row_error (self->entity_row, TRUE);
      valid = FALSE;
      if (first_problem == NULL)
        first_problem = g_strdup (_("The entity ID cannot contain spaces."));
    }
  else
    set_row_error (self->entity_row, FALSE);

  endpoint = row_text (self->endpoint_row);
  if (*endpoint != '\0' && !cb_intacct_endpoint_is_allowed (endpoint, NULL))
    {
      set_row_error (self->endpoint_row, TRUE);
      valid = FALSE;
      if (first_problem == NULL)
        first_problem = g_strdup (_("The gateway URL must be an https address under intacct.com, or an address on this computer."));
    }
  else
    set_row_error (self->endpoint_row, FALSE);

  gtk_label_set_text (self->form_message, first_problem != NULL ? first_problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->form_message), first_problem != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), valid && !self->busy);

  return valid;
}

static void
on_form_changed_cb (GtkEditable   *editable,
                    CbConnectPage *self)
{
  if (!self->filling)
    g_object_set_data (G_OBJECT (editable), "cb-touched", GINT_TO_POINTER (1));

  gtk_widget_set_visible (self->diagnosis_box, FALSE);
  validate_form (self);
}

static void
clear_touched (CbConnectPage *self)
{
  gpointer rows[] = {
    self->company_row, self->user_row, self->user_password_row, self->sender_row,
    self->sender_password_row, self->entity_row, self->endpoint_row,
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_object_set_data (G_OBJECT (rows[i]), "cb-touched", NULL);
}

static void
fill_form (CbConnectPage   *self,
           const CbProfile *profile,
           const char      *user_password,
           const char      *sender_password)
{
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->company_row), profile->company_id ? profile->company_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), profile->user_id ? profile->user_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->sender_row), profile->sender_id ? profile->sender_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->entity_row), profile->entity_id ? profile->entity_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), profile->endpoint ? profile->endpoint : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_password_row), user_password ? user_password : "");
  gtk_editable_set_text (GTK_EDITABLE (self->sender_password_row), sender_password ? sender_password : "");
  self->filling = FALSE;

  clear_touched (self);
  validate_form (self);
}

static void
show_diagnosis (CbConnectPage            *self,
                const CbConnectDiagnosis *diagnosis)
{
  gtk_label_set_text (self->diagnosis_title, diagnosis->title);
  gtk_label_set_text (self->diagnosis_advice, diagnosis->advice != NULL ? diagnosis->advice : "");
  if (diagnosis->support_id != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is Intacct's Support ID, for Sage support */
      text = g_strdup_printf (_("Support ID: %s"), diagnosis->support_id);
      gtk_label_set_text (self->diagnosis_support, text);
      gtk_widget_set_visible (GTK_WIDGET (self->diagnosis_support), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->diagnosis_support), FALSE);

  gtk_widget_set_visible (self->diagnosis_box, TRUE);
}

static void
set_testing (CbConnectPage *self,
             gboolean       testing,
             const char    *status)
{
  set_busy (self, testing);
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), testing);
  gtk_label_set_text (self->test_status, status != NULL ? status : "");
  validate_form (self);
}

/* Which steps can be visited: entities and permissions need a connection, the defaults
 * a saved profile (they work offline from the cache). */
static void
update_steps (CbConnectPage *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->stack);
  gboolean connected = self->client != NULL;
  gboolean saved = self->profile != NULL && self->profile->last_connected != NULL && self->db != NULL;

  gtk_widget_set_visible (gtk_stack_get_child_by_name (self->stack, "entities"),
                          connected || g_strcmp0 (step, "entities") == 0);
  gtk_widget_set_visible (gtk_stack_get_child_by_name (self->stack, "probe"),
                          connected || g_strcmp0 (step, "probe") == 0);
  gtk_widget_set_visible (gtk_stack_get_child_by_name (self->stack, "defaults"),
                          saved || g_strcmp0 (step, "defaults") == 0);
  gtk_widget_set_visible (self->switcher, g_strcmp0 (step, "welcome") != 0 && (connected || saved));
}

/* Test connection */

typedef struct
{
  CbIntacctCredentials *credentials;
  char                 *profile_id;
  char                 *label;
  gboolean              is_demo;
  /* results */
  CbIntacctClient      *client;
  GPtrArray            *entities;
  GError               *keyring_error;
} TestData;

static void
test_data_free (gpointer data)
{
  TestData *td = data;

  g_clear_pointer (&td->credentials, cb_intacct_credentials_free);
  g_free (td->profile_id);
  g_free (td->label);
  g_clear_object (&td->client);
  g_clear_pointer (&td->entities, g_ptr_array_unref);
  g_clear_error (&td->keyring_error);
  g_free (td);
}

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TestData *td = task_data;
  g_autofree char *user_label = NULL;
  g_autofree char *sender_label = NULL;
  GError *error = NULL;

  td->client = cb_connection_test (td->credentials, cancellable, &error);
  if (td->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  td->entities = cb_connection_list_entities (td->client, cancellable, &error);
  if (td->entities == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The demo company's credentials are public test values, not secrets: the keyring
   * is not needed (nor asked to unlock) for them. */
  if (td->is_demo)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Translators: a keyring item label; %s is the company profile name */
  user_label = g_strdup_printf (_("Costbridge user password for %s"), td->label);
  /* Translators: a keyring item label; %s is the company profile name */
  sender_label = g_strdup_printf (_("Costbridge sender password for %s"), td->label);

  if (!cb_secret_store_save (td->profile_id, CB_SECRET_USER_PASSWORD, user_label,
                             td->credentials->user_password, cancellable, &td->keyring_error) ||
      !cb_secret_store_save (td->profile_id, CB_SECRET_SENDER_PASSWORD, sender_label,
                             td->credentials->sender_password, cancellable, &td->keyring_error))
    {
      if (g_error_matches (td->keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&td->keyring_error));
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
show_entities (CbConnectPage *self,
               GPtrArray     *entities)
{
  clear_list_box (self->entity_list);

  for (guint i = 0; entities != NULL && i < entities->len; i++)
    {
      CbIntacctRecord *record = g_ptr_array_index (entities, i);
      const char *id = cb_intacct_record_get_field (record, "LOCATIONID");
      const char *name = cb_intacct_record_get_field (record, "NAME");
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *id_label;
      GtkWidget *icon;

      if (id == NULL)
        id = "";

      gtk_widget_set_name (row, id);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     name != NULL && *name != '\0' ? name : id);
      if (*id == '\0')
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                     _("The whole company; records of every entity"));
      id_label = gtk_label_new (id);
      gtk_widget_add_css_class (id_label, "dim-label");
      gtk_widget_add_css_class (id_label, "cb-entity-id");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), id_label);
      icon = gtk_image_new_from_icon_name ("go-next-symbolic");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

      if (self->profile != NULL &&
          g_strcmp0 (self->profile->entity_id ? self->profile->entity_id : "", id) == 0)
        {
          GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

          gtk_widget_set_tooltip_text (check, _("Current entity"));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
        }

      gtk_list_box_append (self->entity_list, row);
    }
}

/* Another company may already use the name (say, the same company ID in a second entity):
 * a new profile then gets "Name (2)", "Name (3)"… so that saving it cannot fail. */
static void
make_name_unique (CbConnectPage *self)
{
  g_autofree char *base = g_strdup (self->profile->name);

  for (guint n = 2; n < 1000; n++)
    {
      g_autoptr(CbProfile) other = cb_profile_load (self->db, self->profile->name, NULL);

      if (other == NULL || g_strcmp0 (other->id, self->profile->id) == 0)
        return;
      g_free (self->profile->name);
      /* Translators: a company profile's name made unique, e.g. "acme (2)" */
      self->profile->name = g_strdup_printf (_("%s (%u)"), base, n);
    }
}

static gboolean
save_profile (CbConnectPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->db == NULL)
    return FALSE;

  make_name_unique (self);

  if (!cb_profile_save (self->db, self->profile, &error))
    {
      g_message ("Could not save the profile: %s", error->message);
      gtk_label_set_text (self->test_status, _("Could not save the company profile on this computer."));
      return FALSE;
    }

  g_signal_emit (self, signals[PROFILES_CHANGED], 0);
  return TRUE;
}

static void
finish_connect (CbConnectPage *self,
                TestData      *td)
{
  g_clear_pointer (&self->profile->last_connected, g_date_time_unref);
  self->profile->last_connected = g_date_time_new_now_utc ();
  save_profile (self);

  g_set_object (&self->client, td->client);
  show_entities (self, td->entities);
  gtk_editable_set_text (GTK_EDITABLE (self->entity_search), "");
  gtk_label_set_text (self->entity_status, "");
  set_testing (self, FALSE, _("Connected"));
  cb_connect_page_set_step (self, "entities");
}

typedef struct
{
  GWeakRef *weak;
  GTask    *task;
} KeyringDialogData;

static void
on_keyring_dialog_response_cb (AdwMessageDialog *dialog,
                               const char       *response,
                               gpointer          user_data)
{
  KeyringDialogData *kd = user_data;
  g_autoptr(CbConnectPage) self = weak_steal (kd->weak);
  g_autoptr(GTask) task = kd->task;
  TestData *td = g_task_get_task_data (task);

  g_free (kd);

  if (self == NULL)
    return;

  if (g_strcmp0 (response, "run-only") == 0)
    {
      g_free (self->run_profile_id);
      self->run_profile_id = g_strdup (td->profile_id);
      cb_clear_secret (&self->run_user_password);
      cb_clear_secret (&self->run_sender_password);
      self->run_user_password = g_strdup (td->credentials->user_password);
      self->run_sender_password = g_strdup (td->credentials->sender_password);
      finish_connect (self, td);
    }
  else
    set_testing (self, FALSE, _("Not saved: the keyring is not available"));
}

static void
ask_keyring (CbConnectPage *self,
             GTask         *task)
{
  TestData *td = g_task_get_task_data (task);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  KeyringDialogData *kd;
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  /* Translators: %s says what to install or unlock, from the keyring check */
  body = g_strdup_printf (_("The connection works, but the passwords cannot be stored safely: %s\n\nCostbridge never keeps passwords in a file. You can use them for this run only; they are forgotten when Costbridge quits."),
                          td->keyring_error->message);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("The Keyring Is Not Available"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "run-only", _("_Use for This Run Only"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  kd = g_new0 (KeyringDialogData, 1);
  kd->weak = weak_new (self);
  kd->task = g_object_ref (task);
  g_signal_connect (dialog, "response", G_CALLBACK (on_keyring_dialog_response_cb), kd);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
test_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CbConnectPage) self = weak_steal (user_data);
  GTask *task = G_TASK (result);
  TestData *td = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    {
      g_autoptr(CbConnectDiagnosis) diagnosis = NULL;

      if (self == NULL)
        return;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_testing (self, FALSE, _("Cancelled"));
          return;
        }

      diagnosis = cb_connect_diagnose (error);
      set_testing (self, FALSE, _("Not connected"));
      show_diagnosis (self, diagnosis);
      return;
    }

  if (self == NULL)
    return;

  if (td->keyring_error != NULL)
    {
      ask_keyring (self, task);
      return;
    }

  finish_connect (self, td);
}

/* Builds the profile from the form (trimmed); the id stays when editing a profile. */
static CbProfile *
profile_from_form (CbConnectPage *self)
{
  g_autoptr(CbProfile) profile = self->profile != NULL ? cb_profile_copy (self->profile)
                                                       : cb_profile_new ();
  g_autofree char *company = row_text (self->company_row);
  g_autofree char *user = row_text (self->user_row);
  g_autofree char *sender = row_text (self->sender_row);
  g_autofree char *entity = row_text (self->entity_row);
  g_autofree char *endpoint = row_text (self->endpoint_row);

  if (profile->id == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      profile->id = g_strconcat ("p-", uuid, NULL);
    }

  /* A new company, or a different company in the form: name it after the company. */
  if (profile->name == NULL || g_strcmp0 (profile->company_id, company) != 0)
    profile_set_string (&profile->name, company);

  profile_set_string (&profile->company_id, company);
  profile_set_string (&profile->user_id, user);
  profile_set_string (&profile->sender_id, sender);
  profile_set_string (&profile->entity_id, entity);
  profile_set_string (&profile->endpoint, endpoint);

  return g_steal_pointer (&profile);
}

static void
start_test (CbConnectPage *self)
{
  g_autoptr(CbProfile) profile = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_password = NULL;
  g_autofree char *sender_password = NULL;
  TestData *td;

  if (self->busy || !validate_form (self))
    return;

  profile = profile_from_form (self);
  if (!cb_profile_validate (profile, &error))
    {
      gtk_label_set_text (self->form_message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->form_message), TRUE);
      return;
    }

  g_clear_pointer (&self->profile, cb_profile_free);
  self->profile = g_steal_pointer (&profile);
  g_clear_object (&self->client);
  update_steps (self);

  /* Spaces around a password are kept: they may be part of it. */
  user_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_password_row)));
  sender_password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sender_password_row)));

  td = g_new0 (TestData, 1);
  td->credentials = cb_connection_credentials (self->profile, user_password, sender_password);
  td->profile_id = g_strdup (self->profile->id);
  td->label = g_strdup (self->profile->name);
  td->is_demo = self->profile->is_demo;
  cb_clear_secret (&user_password);
  cb_clear_secret (&sender_password);

  gtk_widget_set_visible (self->diagnosis_box, FALSE);
  set_testing (self, TRUE, _("Testing the connection…"));

  task = g_task_new (NULL, new_cancellable (self), test_done_cb, weak_new (self));
  g_task_set_source_tag (task, start_test);
  g_task_set_task_data (task, td, test_data_free);
  g_task_run_in_thread (task, test_thread);
}

static void
on_test_clicked_cb (GtkButton     *button,
                    CbConnectPage *self)
{
  start_test (self);
}

static void
on_cancel_clicked_cb (GtkButton     *button,
                      CbConnectPage *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
on_help_clicked_cb (GtkButton     *button,
                    CbConnectPage *self)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (SETUP_HELP_URI, G_APP_LAUNCH_CONTEXT (context),
                                           NULL, NULL, NULL);
}

/* Entities */

typedef struct
{
  char *entity_id;
} SwitchData;

static void
switch_data_free (gpointer data)
{
  SwitchData *sd = data;

  g_free (sd->entity_id);
  g_free (sd);
}

static void
switch_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CbIntacctClient *client = source_object;
  SwitchData *sd = task_data;
  GError *error = NULL;

  if (!cb_intacct_client_switch_entity (client, sd->entity_id, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
switch_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbConnectPage) self = weak_steal (user_data);
  SwitchData *sd = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autoptr(CbConnectDiagnosis) diagnosis = NULL;
      g_autofree char *text = NULL;

      if (self == NULL)
        return;

      set_busy (self, FALSE);
      diagnosis = cb_connect_diagnose (error);
      text = g_strdup_printf ("%s %s", diagnosis->title, diagnosis->advice ? diagnosis->advice : "");
      gtk_label_set_text (self->entity_status, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->entity_status), "error");
      return;
    }

  if (self == NULL)
    return;

  set_busy (self, FALSE);
  profile_set_string (&self->profile->entity_id, sd->entity_id);
  save_profile (self);
  gtk_label_set_text (self->entity_status, "");
  cb_connect_page_set_step (self, "probe");
}

static void
on_entity_activated_cb (GtkListBox    *list,
                        GtkListBoxRow *row,
                        CbConnectPage *self)
{
  g_autoptr(GTask) task = NULL;
  SwitchData *sd;

  if (self->busy || self->client == NULL)
    return;

  sd = g_new0 (SwitchData, 1);
  sd->entity_id = g_strdup (gtk_widget_get_name (GTK_WIDGET (row)));

  set_busy (self, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->entity_status), "error");
  gtk_label_set_text (self->entity_status, _("Switching entity…"));

  task = g_task_new (self->client, new_cancellable (self), switch_done_cb, weak_new (self));
  g_task_set_source_tag (task, on_entity_activated_cb);
  g_task_set_task_data (task, sd, switch_data_free);
  g_task_run_in_thread (task, switch_thread);
}

static gboolean
entity_filter_func (GtkListBoxRow *row,
                    gpointer       user_data)
{
  CbConnectPage *self = user_data;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->entity_search));
  g_autofree char *needle = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;

  if (search == NULL || *search == '\0')
    return TRUE;

  needle = g_utf8_casefold (search, -1);
  title = g_utf8_casefold (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
  id = g_utf8_casefold (gtk_widget_get_name (GTK_WIDGET (row)), -1);

  return strstr (title, needle) != NULL || strstr (id, needle) != NULL;
}

static void
on_entity_search_changed_cb (GtkSearchEntry *entry,
                             CbConnectPage  *self)
{
  gtk_list_box_invalidate_filter (self->entity_list);
}

/* Probe */

typedef struct
{
  GWeakRef *weak;
  guint     done;
  guint     total;
} ProgressData;

static gboolean
progress_idle_cb (gpointer data)
{
  ProgressData *pd = data;
  g_autoptr(CbConnectPage) self = g_weak_ref_get (pd->weak);

  if (self != NULL && self->busy && pd->total > 0)
    gtk_progress_bar_set_fraction (self->probe_progress, (double) pd->done / pd->total);

  return G_SOURCE_REMOVE;
}

static void
progress_data_free (gpointer data)
{
  ProgressData *pd = data;

  weak_free (pd->weak);
  g_free (pd);
}

static void
probe_progress_cb (guint    done,
                   guint    total,
                   gpointer data)
{
  GWeakRef *page_ref = data;
  ProgressData *pd = g_new0 (ProgressData, 1);
  g_autoptr(GObject) page = g_weak_ref_get (page_ref);

  pd->weak = weak_new (page);
  pd->done = done;
  pd->total = total;
  g_idle_add_full (G_PRIORITY_DEFAULT, progress_idle_cb, pd, progress_data_free);
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CbIntacctClient *client = source_object;
  GPtrArray *results;
  GError *error = NULL;

  results = cb_connection_probe (client, probe_progress_cb, task_data, cancellable, &error);
  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
show_probe_results (CbConnectPage *self,
                    GPtrArray     *results)
{
  guint missing = 0;
  guint not_subscribed = 0;
  guint unknown = 0;

  clear_list_box (self->probe_list);

  for (guint i = 0; i < results->len; i++)
    {
      CbProbeResult *result = g_ptr_array_index (results, i);
      const CbCapability *cap = result->capability;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      g_autofree char *name = g_strdup_printf ("%s:%s", cap->object, cap->operation);
      g_autofree char *title = NULL;
      g_autoptr(GString) subtitle = g_string_new (cap->feature);
      const char *icon_name;
      const char *state_class;
      const char *tooltip;

      if (g_strcmp0 (cap->operation, "create") == 0)
        /* Translators: %s is an Intacct object such as VENDOR */
        title = g_strdup_printf (_("Create %s"), cap->object);
      else
        /* Translators: %s is an Intacct object such as VENDOR */
        title = g_strdup_printf (_("Read %s"), cap->object);

      switch (result->state)
        {
        case CB_CAPABILITY_GRANTED:
          icon_name = "emblem-ok-symbolic";
          state_class = "success";
          tooltip = _("Granted");
          break;

        case CB_CAPABILITY_MISSING:
          icon_name = "dialog-warning-symbolic";
          state_class = "error";
          tooltip = _("Missing");
          missing++;
          g_string_append (subtitle, "\n");
          /* Translators: %s is the Intacct permission and its menu path */
          g_string_append_printf (subtitle, _("Missing. To grant: %s"), cap->grant);
          break;

        case CB_CAPABILITY_NOT_SUBSCRIBED:
          icon_name = "action-unavailable-symbolic";
          state_class = "warning";
          tooltip = _("Not subscribed");
          not_subscribed++;
          g_string_append (subtitle, "\n");
          g_string_append (subtitle, cap->construction
                           ? _("Not subscribed: the company needs the Construction subscription.")
                           : _("Not subscribed: the company does not have this application."));
          break;

        case CB_CAPABILITY_UNKNOWN:
        default:
          icon_name = "dialog-question-symbolic";
          state_class = "dim-label";
          tooltip = _("Not checked");
          unknown++;
          if (result->message != NULL)
            {
              g_string_append (subtitle, "\n");
              g_string_append (subtitle, result->message);
            }
          break;
        }

      gtk_widget_set_name (row, name);
      gtk_widget_add_css_class (row, result->state == CB_CAPABILITY_GRANTED ? "cb-granted"
                                     : result->state == CB_CAPABILITY_MISSING ? "cb-missing"
                                     : result->state == CB_CAPABILITY_NOT_SUBSCRIBED ? "cb-not-subscribed"
                                     : "cb-unknown");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      icon = gtk_image_new_from_icon_name (icon_name);
      gtk_widget_add_css_class (icon, state_class);
      gtk_widget_set_tooltip_text (icon, tooltip);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->probe_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->probe_list), TRUE);

  if (missing == 0 && not_subscribed == 0 && unknown == 0)
    gtk_label_set_text (self->probe_status, _("Every permission Costbridge needs is granted."));
  else
    {
      g_autofree char *text = NULL;

      /* Translators: counts of capabilities */
      text = g_strdup_printf (_("%u missing, %u not subscribed, %u not checked. Features that need them stay off until they are granted."),
                              missing, not_subscribed, unknown);
      gtk_label_set_text (self->probe_status, text);
    }
}

static void
probe_done_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CbConnectPage) self = weak_steal (user_data);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = g_task_propagate_pointer (G_TASK (result), &error);

  if (self == NULL)
    return;

  set_busy (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->probe_progress), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->probe_button), TRUE);

  if (results == NULL)
    {
      g_autoptr(CbConnectDiagnosis) diagnosis = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->probe_status, _("Cancelled"));
          return;
        }

      diagnosis = cb_connect_diagnose (error);
      text = g_strdup_printf ("%s %s", diagnosis->title, diagnosis->advice ? diagnosis->advice : "");
      gtk_label_set_text (self->probe_status, text);
      return;
    }

  show_probe_results (self, results);
}

static void
on_probe_clicked_cb (GtkButton     *button,
                     CbConnectPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->busy || self->client == NULL)
    return;

  set_busy (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->probe_button), FALSE);
  gtk_progress_bar_set_fraction (self->probe_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->probe_progress), TRUE);
  gtk_label_set_text (self->probe_status, _("Checking permissions with harmless reads…"));

  task = g_task_new (self->client, new_cancellable (self), probe_done_cb, weak_new (self));
  g_task_set_source_tag (task, on_probe_clicked_cb);
  g_task_set_task_data (task, weak_new (self), (GDestroyNotify) weak_free);
  g_task_run_in_thread (task, probe_thread);
}

static void
on_probe_next_clicked_cb (GtkButton     *button,
                          CbConnectPage *self)
{
  cb_connect_page_set_step (self, "defaults");
}

/* Defaults */

static void
load_defaults_pickers (CbConnectPage *self)
{
  const char *current[N_PICKERS];
  g_autoptr(GDateTime) refreshed = NULL;

  if (self->profile == NULL || self->db == NULL)
    return;

  current[PICKER_AP_ACCOUNT] = self->profile->default_ap_account;
  current[PICKER_LOCATION] = self->profile->default_location;
  current[PICKER_DEPARTMENT] = self->profile->default_department;
  current[PICKER_ITEM] = self->profile->default_item;
  current[PICKER_COST_TYPE] = self->profile->default_cost_type;

  for (guint k = 0; k < N_PICKERS; k++)
    {
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
      guint selected = 0;

      g_ptr_array_set_size (self->picker_ids[k], 0);
      gtk_string_list_append (model, _("None"));
      g_ptr_array_add (self->picker_ids[k], NULL);

      records = cb_intacct_cache_list (self->db, self->profile->id, pickers[k].object, NULL, &error);
      if (records == NULL && error != NULL)
        g_message ("Could not read cached %s: %s", pickers[k].object, error->message);

      for (guint i = 0; records != NULL && i < records->len; i++)
        {
          CbCachedRecord *record = g_ptr_array_index (records, i);
          g_autofree char *text = NULL;

          if (record->id == NULL)
            continue;

          text = record->name != NULL && *record->name != '\0'
                 ? g_strdup_printf ("%s · %s", record->id, record->name)
                 : g_strdup (record->id);
          gtk_string_list_append (model, text);
          g_ptr_array_add (self->picker_ids[k], g_strdup (record->id));
          if (g_strcmp0 (record->id, current[k]) == 0)
            selected = self->picker_ids[k]->len - 1;
        }

      gtk_drop_down_set_model (self->picker_dropdowns[k], G_LIST_MODEL (model));
      gtk_drop_down_set_selected (self->picker_dropdowns[k], selected);
      set_row_error (self->picker_rows[k], FALSE);
    }

  adw_combo_row_set_selected (self->date_rule_row, self->profile->bill_date_rule);
  adw_combo_row_set_selected (self->cost_type_rule_row, self->profile->missing_cost_type_rule);

  refreshed = cb_intacct_cache_last_refresh (self->db, self->profile->id, "GLACCOUNT");
  if (refreshed != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (refreshed);
      g_autofree char *when = g_date_time_format (local, "%x %X");
      g_autofree char *text = NULL;

      /* Translators: %s is a date and time */
      text = g_strdup_printf (_("Last refreshed from Intacct: %s"), when);
      gtk_label_set_text (self->refresh_label, text);
    }
  else
    gtk_label_set_text (self->refresh_label, _("Not refreshed from Intacct yet."));
}

typedef struct
{
  char *db_path;
  char *profile_id;
} RefreshData;

static void
refresh_data_free (gpointer data)
{
  RefreshData *rd = data;

  g_free (rd->db_path);
  g_free (rd->profile_id);
  g_free (rd);
}

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CbIntacctClient *client = source_object;
  RefreshData *rd = task_data;
  g_autoptr(CbDatabase) db = NULL;
  GError *error = NULL;

  /* One database connection per thread. */
  db = cb_database_open (rd->db_path, &error);
  if (db == NULL ||
      !cb_connection_refresh_defaults_data (client, db, rd->profile_id, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
refresh_done_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CbConnectPage) self = weak_steal (user_data);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL)
    return;

  set_busy (self, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), TRUE);

  if (error != NULL)
    {
      g_autoptr(CbConnectDiagnosis) diagnosis = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      diagnosis = cb_connect_diagnose (error);
      /* Translators: %s is why the refresh failed */
      text = g_strdup_printf (_("Could not refresh: %s The lists show what was saved before."),
                              diagnosis->title);
      gtk_label_set_text (self->refresh_label, text);
      return;
    }

  load_defaults_pickers (self);
}

static void
start_refresh (CbConnectPage *self)
{
  g_autoptr(GTask) task = NULL;
  RefreshData *rd;

  if (self->busy || self->client == NULL || self->db == NULL || self->profile == NULL)
    return;

  rd = g_new0 (RefreshData, 1);
  rd->db_path = g_strdup (cb_database_get_path (self->db));
  rd->profile_id = g_strdup (self->profile->id);

  set_busy (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), FALSE);
  gtk_label_set_text (self->refresh_label, _("Refreshing from Intacct…"));

  task = g_task_new (self->client, new_cancellable (self), refresh_done_cb, weak_new (self));
  g_task_set_source_tag (task, start_refresh);
  g_task_set_task_data (task, rd, refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

static void
on_refresh_clicked_cb (GtkButton     *button,
                       CbConnectPage *self)
{
  start_refresh (self);
}

static char **
profile_default_field (CbProfile  *profile,
                       PickerKind  kind)
{
  switch (kind)
    {
    case PICKER_AP_ACCOUNT: return &profile->default_ap_account;
    case PICKER_LOCATION: return &profile->default_location;
    case PICKER_DEPARTMENT: return &profile->default_department;
    case PICKER_ITEM: return &profile->default_item;
    case PICKER_COST_TYPE:
    case N_PICKERS:
    default: return &profile->default_cost_type;
    }
}

static void
on_save_defaults_clicked_cb (GtkButton     *button,
                             CbConnectPage *self)
{
  g_autoptr(CbProfile) profile = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (self->profile == NULL || self->db == NULL)
    return;

  profile = cb_profile_copy (self->profile);
  for (guint k = 0; k < N_PICKERS; k++)
    {
      guint selected = gtk_drop_down_get_selected (self->picker_dropdowns[k]);
      const char *id = selected < self->picker_ids[k]->len
                       ? g_ptr_array_index (self->picker_ids[k], selected) : NULL;

      profile_set_string (profile_default_field (profile, k), id);
    }
  profile->bill_date_rule = adw_combo_row_get_selected (self->date_rule_row);
  profile->missing_cost_type_rule = adw_combo_row_get_selected (self->cost_type_rule_row);

  /* Each default checked on its own, so that the error goes on its row. */
  for (guint k = 0; k < N_PICKERS; k++)
    {
      g_autoptr(CbProfile) one = cb_profile_copy (profile);
      g_autoptr(GError) one_error = NULL;

      for (guint j = 0; j < N_PICKERS; j++)
        {
          if (j != k)
            profile_set_string (profile_default_field (one, j), NULL);
        }
      /* The rules are checked below, with the whole profile. */
      one->missing_cost_type_rule = CB_MISSING_COST_TYPE_BLOCK;

      if (!cb_connection_validate_defaults (self->db, one, &one_error))
        {
          set_row_error (self->picker_rows[k], TRUE);
          if (problems->len > 0)
            g_string_append_c (problems, '\n');
          g_string_append (problems, one_error->message);
        }
      else
        set_row_error (self->picker_rows[k], FALSE);
    }

  if (problems->len == 0 &&
      profile->missing_cost_type_rule == CB_MISSING_COST_TYPE_DEFAULT &&
      profile->default_cost_type == NULL)
    {
      set_row_error (self->picker_rows[PICKER_COST_TYPE], TRUE);
      set_row_error (self->cost_type_rule_row, TRUE);
      g_string_append (problems, _("Choose a default cost type, or another rule for lines without one."));
    }
  else
    set_row_error (self->cost_type_rule_row, FALSE);

  if (problems->len == 0 && !cb_connection_validate_defaults (self->db, profile, &error))
    g_string_append (problems, error->message);

  if (problems->len > 0)
    {
      gtk_label_set_text (self->defaults_message, problems->str);
      gtk_widget_remove_css_class (GTK_WIDGET (self->defaults_message), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->defaults_message), "error");
      return;
    }

  g_clear_pointer (&self->profile, cb_profile_free);
  self->profile = g_steal_pointer (&profile);
  if (save_profile (self))
    {
      gtk_label_set_text (self->defaults_message, _("Defaults saved."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->defaults_message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->defaults_message), "success");
    }
}

/* Welcome */

static void
on_connect_clicked_cb (GtkButton     *button,
                       CbConnectPage *self)
{
  cb_connect_page_add_company (self);
}

static void
on_demo_clicked_cb (GtkButton     *button,
                    CbConnectPage *self)
{
  if (self->demo_endpoint == NULL)
    g_signal_emit (self, signals[DEMO_REQUESTED], 0);

  if (self->demo_endpoint != NULL)
    cb_connect_page_use_demo (self);
}

/* Building the steps */

static GtkWidget *
build_welcome (CbConnectPage *self)
{
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkButton *connect = new_pill_button (_("_Connect to Sage Intacct"), "suggested-action");
  GtkButton *demo = new_pill_button (_("_Explore the Demo Company"), NULL);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "network-server-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Welcome to Costbridge"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Connect your Sage Intacct company to bring in job costs, or try everything first on a demo construction company that runs on this computer."));
  gtk_widget_set_name (GTK_WIDGET (connect), "connect-button");
  gtk_widget_set_name (GTK_WIDGET (demo), "demo-button");
  g_signal_connect (connect, "clicked", G_CALLBACK (on_connect_clicked_cb), self);
  g_signal_connect (demo, "clicked", G_CALLBACK (on_demo_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (connect));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (demo));
  adw_status_page_set_child (ADW_STATUS_PAGE (status), box);

  return status;
}

static void
on_field_focus_enter_cb (GtkEventControllerFocus *controller,
                         CbConnectPage           *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  gtk_label_set_text (self->field_hint, g_object_get_data (G_OBJECT (row), "cb-help"));
  gtk_widget_set_visible (GTK_WIDGET (self->field_hint), TRUE);
}

static gpointer
add_entry_row (CbConnectPage       *self,
               AdwPreferencesGroup *group,
               GType                type,
               const char          *name,
               const char          *title,
               const char          *help)
{
  GtkWidget *row = g_object_new (type, "title", title, NULL);
  GtkWidget *info = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkLabel *label = new_wrapped_label (NULL);
  GtkEventController *focus;

  gtk_widget_set_name (row, name);
  /* An AdwEntryRow has no subtitle in 1.2: the explanation is one click away. */
  gtk_label_set_text (label, help);
  gtk_label_set_max_width_chars (label, 40);
  gtk_widget_set_margin_start (GTK_WIDGET (label), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (label), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (label), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (label), 6);
  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (label));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (info), popover);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (info), "dialog-information-symbolic");
  gtk_widget_set_valign (info, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (info, "flat");
  /* Translators: tooltip; %s is a field name */
  gtk_widget_set_tooltip_text (info, help);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), info);

  g_signal_connect (row, "changed", G_CALLBACK (on_form_changed_cb), self);
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (start_test), self);

  /* The explanation of the field being edited shows under the form, like a subtitle. */
  g_object_set_data_full (G_OBJECT (row), "cb-help", g_strdup (help), g_free);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (on_field_focus_enter_cb), self);
  gtk_widget_add_controller (row, focus);
  adw_preferences_group_add (group, row);

  return row;
}

static GtkWidget *
build_form (CbConnectPage *self)
{
  GtkWidget *page = new_page ();
  AdwPreferencesGroup *group;
  GtkWidget *help;
  GtkWidget *expander;
  GtkWidget *box;
  GtkWidget *buttons;
  GtkWidget *diag_icon;
  GtkWidget *diag_text;

  group = add_group (page, _("Connect to Sage Intacct"),
                     _("Costbridge signs in as a Web Services user, through a Web Services sender ID. Your Intacct administrator sets both up once."));

  help = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (help),
                        g_object_new (ADW_TYPE_BUTTON_CONTENT,
                                      "icon-name", "help-browser-symbolic",
                                      "label", _("Setup _Help"),
                                      "use-underline", TRUE,
                                      NULL));
  gtk_widget_add_css_class (help, "flat");
  gtk_widget_set_valign (help, GTK_ALIGN_CENTER);
  gtk_widget_set_name (help, "setup-help-button");
  gtk_widget_set_tooltip_text (help, _("How to set up the Web Services user and sender in Intacct"));
  g_signal_connect (help, "clicked", G_CALLBACK (on_help_clicked_cb), self);
  adw_preferences_group_set_header_suffix (group, help);

  self->company_row = add_entry_row (self, group, ADW_TYPE_ENTRY_ROW, "company-id", _("Company ID"),
                                     _("The ID you type when you sign in to Intacct, shown under Company ▸ Setup ▸ Company ▸ Company information."));
  self->user_row = add_entry_row (self, group, ADW_TYPE_ENTRY_ROW, "user-id", _("Web Services user ID"),
                                  _("A user of type “Web Services only”, created under Company ▸ Admin ▸ Web Services users. Its roles decide what Costbridge may read and write."));
  self->user_password_row = add_entry_row (self, group, ADW_TYPE_PASSWORD_ENTRY_ROW, "user-password", _("User password"),
                                           _("The Web Services user’s password. It is kept in your keyring, never in a file."));
  self->sender_row = add_entry_row (self, group, ADW_TYPE_ENTRY_ROW, "sender-id", _("Sender ID"),
                                    _("The Web Services sender ID from your Sage Intacct developer license. The company must list it under Company ▸ Setup ▸ Company ▸ Security ▸ Web Services authorizations."));
  self->sender_password_row = add_entry_row (self, group, ADW_TYPE_PASSWORD_ENTRY_ROW, "sender-password", _("Sender password"),
                                             _("The password that comes with the sender ID. It is kept in your keyring, never in a file."));
  self->entity_row = add_entry_row (self, group, ADW_TYPE_ENTRY_ROW, "entity-id", _("Entity ID (optional)"),
                                    _("For a multi-entity company: the entity to work in. Leave it empty for the top level; you can pick an entity after the test."));

  expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("Advanced"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), _("Gateway URL"));
  gtk_widget_set_name (expander, "advanced-row");
  self->endpoint_row = g_object_new (ADW_TYPE_ENTRY_ROW, "title", _("Gateway URL (empty: Intacct’s)"), NULL);
  gtk_widget_set_name (GTK_WIDGET (self->endpoint_row), "endpoint");
  g_signal_connect (self->endpoint_row, "changed", G_CALLBACK (on_form_changed_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), GTK_WIDGET (self->endpoint_row));
  adw_preferences_group_add (group, expander);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  self->field_hint = new_wrapped_label ("dim-label");
  gtk_widget_set_name (GTK_WIDGET (self->field_hint), "field-hint");
  gtk_widget_set_visible (GTK_WIDGET (self->field_hint), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->field_hint));
  self->form_message = new_wrapped_label ("error");
  gtk_widget_set_name (GTK_WIDGET (self->form_message), "form-message");
  gtk_widget_set_visible (GTK_WIDGET (self->form_message), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->form_message));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  self->test_spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  self->test_button = new_pill_button (_("_Test Connection"), "suggested-action");
  gtk_widget_set_name (GTK_WIDGET (self->test_button), "test-button");
  g_signal_connect (self->test_button, "clicked", G_CALLBACK (on_test_clicked_cb), self);
  self->cancel_button = new_pill_button (_("_Cancel"), NULL);
  gtk_widget_set_name (GTK_WIDGET (self->cancel_button), "cancel-button");
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  g_signal_connect (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->test_spinner));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->test_button));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->cancel_button));
  gtk_box_append (GTK_BOX (box), buttons);

  self->test_status = new_wrapped_label ("dim-label");
  gtk_label_set_xalign (self->test_status, 0.5);
  gtk_widget_set_name (GTK_WIDGET (self->test_status), "test-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->test_status));

  self->diagnosis_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->diagnosis_box, "card");
  gtk_widget_set_name (self->diagnosis_box, "diagnosis");
  diag_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (diag_icon, "error");
  gtk_widget_set_valign (diag_icon, GTK_ALIGN_START);
  gtk_widget_set_margin_start (diag_icon, 12);
  gtk_widget_set_margin_top (diag_icon, 14);
  gtk_box_append (GTK_BOX (self->diagnosis_box), diag_icon);
  diag_text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (diag_text, 12);
  gtk_widget_set_margin_bottom (diag_text, 12);
  gtk_widget_set_margin_end (diag_text, 12);
  gtk_widget_set_hexpand (diag_text, TRUE);
  self->diagnosis_title = new_wrapped_label ("heading");
  gtk_widget_set_name (GTK_WIDGET (self->diagnosis_title), "diagnosis-title");
  self->diagnosis_advice = new_wrapped_label (NULL);
  gtk_widget_set_name (GTK_WIDGET (self->diagnosis_advice), "diagnosis-advice");
  self->diagnosis_support = new_wrapped_label ("dim-label");
  gtk_widget_set_name (GTK_WIDGET (self->diagnosis_support), "diagnosis-support");
  gtk_label_set_selectable (self->diagnosis_support, TRUE);
  gtk_box_append (GTK_BOX (diag_text), GTK_WIDGET (self->diagnosis_title));
  gtk_box_append (GTK_BOX (diag_text), GTK_WIDGET (self->diagnosis_advice));
  gtk_box_append (GTK_BOX (diag_text), GTK_WIDGET (self->diagnosis_support));
  gtk_box_append (GTK_BOX (self->diagnosis_box), diag_text);
  gtk_widget_set_visible (self->diagnosis_box, FALSE);
  gtk_box_append (GTK_BOX (box), self->diagnosis_box);

  adw_preferences_group_add (group, box);

  return page;
}

static GtkWidget *
build_entities (CbConnectPage *self)
{
  GtkWidget *page = new_page ();
  AdwPreferencesGroup *group;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  group = add_group (page, _("Choose an Entity"),
                     _("Costbridge reads and writes in one entity at a time. The top level sees the whole company. You can change this later."));

  self->entity_search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->entity_search), "entity-search");
  g_object_set (self->entity_search, "placeholder-text", _("Search entities"), NULL);
  g_signal_connect (self->entity_search, "search-changed", G_CALLBACK (on_entity_search_changed_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entity_search));

  self->entity_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->entity_list), "entity-list");
  gtk_list_box_set_selection_mode (self->entity_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->entity_list), "boxed-list");
  gtk_list_box_set_filter_func (self->entity_list, entity_filter_func, self, NULL);
  g_signal_connect (self->entity_list, "row-activated", G_CALLBACK (on_entity_activated_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entity_list));

  self->entity_status = new_wrapped_label (NULL);
  gtk_widget_set_name (GTK_WIDGET (self->entity_status), "entity-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entity_status));

  adw_preferences_group_add (group, box);

  return page;
}

static GtkWidget *
build_probe (CbConnectPage *self)
{
  GtkWidget *page = new_page ();
  AdwPreferencesGroup *group;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkButton *next;

  group = add_group (page, _("Permissions"),
                     _("Costbridge checks each permission it uses with a harmless read, or a create that Intacct refuses before writing anything. Grant only what the features you use need."));

  self->probe_button = new_pill_button (_("_Check Permissions"), "suggested-action");
  gtk_widget_set_name (GTK_WIDGET (self->probe_button), "probe-button");
  g_signal_connect (self->probe_button, "clicked", G_CALLBACK (on_probe_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->probe_button));

  self->probe_progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->probe_progress), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->probe_progress));

  self->probe_status = new_wrapped_label (NULL);
  gtk_widget_set_name (GTK_WIDGET (self->probe_status), "probe-status");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->probe_status));

  self->probe_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->probe_list), "probe-list");
  gtk_list_box_set_selection_mode (self->probe_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->probe_list), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->probe_list), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->probe_list));

  next = new_pill_button (_("_Accounting Defaults"), NULL);
  gtk_widget_set_name (GTK_WIDGET (next), "defaults-next-button");
  g_signal_connect (next, "clicked", G_CALLBACK (on_probe_next_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (next));

  adw_preferences_group_add (group, box);

  return page;
}

static GtkWidget *
build_defaults (CbConnectPage *self)
{
  GtkWidget *page = new_page ();
  AdwPreferencesGroup *group;
  AdwPreferencesGroup *rules;
  GtkWidget *refresh_box;
  GtkWidget *box;
  GtkButton *save;
  g_autoptr(GtkStringList) date_rules = NULL;
  g_autoptr(GtkStringList) cost_type_rules = NULL;

  group = add_group (page, _("Accounting Defaults"),
                     _("Used on bills when your job-cost data leaves a value out. The lists come from Intacct and are kept on this computer, so they work offline."));

  refresh_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->refresh_button = GTK_BUTTON (gtk_button_new_from_icon_name ("view-refresh-symbolic"));
  gtk_widget_set_name (GTK_WIDGET (self->refresh_button), "refresh-button");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->refresh_button), _("Refresh the lists from Intacct"));
  gtk_widget_add_css_class (GTK_WIDGET (self->refresh_button), "flat");
  g_signal_connect (self->refresh_button, "clicked", G_CALLBACK (on_refresh_clicked_cb), self);
  gtk_box_append (GTK_BOX (refresh_box), GTK_WIDGET (self->refresh_button));
  adw_preferences_group_set_header_suffix (group, refresh_box);

  for (guint k = 0; k < N_PICKERS; k++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *dropdown;
      g_autoptr(GtkExpression) expression = NULL;

      expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
      dropdown = gtk_drop_down_new (NULL, NULL);
      gtk_drop_down_set_expression (GTK_DROP_DOWN (dropdown), expression);
      gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), TRUE);
      gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (dropdown, 260, -1);

      gtk_widget_set_name (row, pickers[k].name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(pickers[k].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(pickers[k].subtitle));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dropdown);
      adw_preferences_group_add (group, row);

      self->picker_rows[k] = ADW_ACTION_ROW (row);
      self->picker_dropdowns[k] = GTK_DROP_DOWN (dropdown);
      self->picker_ids[k] = g_ptr_array_new_with_free_func (g_free);
    }

  self->refresh_label = new_wrapped_label ("dim-label");
  gtk_widget_set_name (GTK_WIDGET (self->refresh_label), "refresh-label");
  gtk_widget_set_margin_top (GTK_WIDGET (self->refresh_label), 6);
  adw_preferences_group_add (group, GTK_WIDGET (self->refresh_label));

  rules = add_group (page, _("Rules"), NULL);
  date_rules = gtk_string_list_new ((const char * const []) {
    _("The bill’s own date"), _("The day the bill is imported"), _("The day the bill is synced"), NULL });
  self->date_rule_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->date_rule_row), "bill-date-rule");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_rule_row), _("Bill date"));
  adw_combo_row_set_model (self->date_rule_row, G_LIST_MODEL (date_rules));
  adw_preferences_group_add (rules, GTK_WIDGET (self->date_rule_row));

  cost_type_rules = gtk_string_list_new ((const char * const []) {
    _("Hold the bill until the line has one"), _("Use the default cost type"), _("Send the line with project and task only"), NULL });
  self->cost_type_rule_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->cost_type_rule_row), "missing-cost-type-rule");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->cost_type_rule_row), _("Line without a cost type"));
  adw_combo_row_set_model (self->cost_type_rule_row, G_LIST_MODEL (cost_type_rules));
  adw_preferences_group_add (rules, GTK_WIDGET (self->cost_type_rule_row));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  self->defaults_message = new_wrapped_label (NULL);
  gtk_widget_set_name (GTK_WIDGET (self->defaults_message), "defaults-message");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->defaults_message));
  save = new_pill_button (_("_Save Defaults"), "suggested-action");
  gtk_widget_set_name (GTK_WIDGET (save), "save-defaults-button");
  g_signal_connect (save, "clicked", G_CALLBACK (on_save_defaults_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (save));
  adw_preferences_group_add (rules, box);

  return page;
}

/* GObject */

static void
cb_connect_page_dispose (GObject *object)
{
  CbConnectPage *self = CB_CONNECT_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cb_connect_page_parent_class)->dispose (object);
}

static void
cb_connect_page_finalize (GObject *object)
{
  CbConnectPage *self = CB_CONNECT_PAGE (object);

  g_clear_object (&self->db);
  g_clear_object (&self->client);
  g_clear_pointer (&self->profile, cb_profile_free);
  g_clear_pointer (&self->demo_endpoint, g_free);
  g_clear_pointer (&self->run_profile_id, g_free);
  cb_clear_secret (&self->run_user_password);
  cb_clear_secret (&self->run_sender_password);
  for (guint k = 0; k < N_PICKERS; k++)
    g_clear_pointer (&self->picker_ids[k], g_ptr_array_unref);

  G_OBJECT_CLASS (cb_connect_page_parent_class)->finalize (object);
}

static void
cb_connect_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CbConnectPage *self = CB_CONNECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_string (value, cb_connect_page_get_step (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_connect_page_class_init (CbConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_connect_page_dispose;
  object_class->finalize = cb_connect_page_finalize;
  object_class->get_property = cb_connect_page_get_property;

  properties[PROP_STEP] =
    g_param_spec_string ("step", NULL, NULL, "welcome",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted by "Explore the demo company" when no demo gateway is set yet; a handler
   * starts one and calls cb_connect_page_set_demo_endpoint(). */
  signals[DEMO_REQUESTED] =
    g_signal_new ("demo-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted after a profile was saved, renamed or removed. */
  signals[PROFILES_CHANGED] =
    g_signal_new ("profiles-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
on_step_changed_cb (GtkStack      *stack,
                    GParamSpec    *pspec,
                    CbConnectPage *self)
{
  const char *step = gtk_stack_get_visible_child_name (stack);

  if (g_strcmp0 (step, "defaults") == 0)
    {
      g_autoptr(GDateTime) refreshed = NULL;

      load_defaults_pickers (self);
      /* The first visit fills the lists from Intacct. */
      if (self->profile != NULL && self->db != NULL)
        refreshed = cb_intacct_cache_last_refresh (self->db, self->profile->id, "GLACCOUNT");
      if (refreshed == NULL)
        start_refresh (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static void
cb_connect_page_init (CbConnectPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_set_parent (box, GTK_WIDGET (self));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);

  /* The steps, once there is something to go back to. */
  self->switcher = gtk_stack_switcher_new ();
  gtk_widget_set_name (self->switcher, "step-switcher");
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (self->switcher), self->stack);
  gtk_widget_set_halign (self->switcher, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (self->switcher, 12);
  gtk_box_append (GTK_BOX (box), self->switcher);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  gtk_stack_add_named (self->stack, build_welcome (self), "welcome");
  gtk_stack_add_titled (self->stack, build_form (self), "form", _("Connection"));
  gtk_stack_add_titled (self->stack, build_entities (self), "entities", _("Entity"));
  gtk_stack_add_titled (self->stack, build_probe (self), "probe", _("Permissions"));
  gtk_stack_add_titled (self->stack, build_defaults (self), "defaults", _("Defaults"));
  gtk_stack_set_visible_child_name (self->stack, "welcome");
  g_signal_connect (self->stack, "notify::visible-child-name", G_CALLBACK (on_step_changed_cb), self);

  update_steps (self);
  validate_form (self);
}

CbConnectPage *
cb_connect_page_new (CbDatabase *db)
{
  CbConnectPage *self = g_object_new (CB_TYPE_CONNECT_PAGE, NULL);

  if (db != NULL)
    self->db = g_object_ref (db);

  return self;
}

CbDatabase *
cb_connect_page_get_database (CbConnectPage *self)
{
  g_return_val_if_fail (CB_IS_CONNECT_PAGE (self), NULL);

  return self->db;
}

const char *
cb_connect_page_get_step (CbConnectPage *self)
{
  g_return_val_if_fail (CB_IS_CONNECT_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
cb_connect_page_set_step (CbConnectPage *self,
                          const char    *step)
{
  g_return_if_fail (CB_IS_CONNECT_PAGE (self));
  g_return_if_fail (gtk_stack_get_child_by_name (self->stack, step) != NULL);

  gtk_widget_set_visible (gtk_stack_get_child_by_name (self->stack, step), TRUE);
  gtk_stack_set_visible_child_name (self->stack, step);
  update_steps (self);
}

const CbProfile *
cb_connect_page_get_profile (CbConnectPage *self)
{
  g_return_val_if_fail (CB_IS_CONNECT_PAGE (self), NULL);

  return self->profile;
}

void
cb_connect_page_add_company (CbConnectPage *self)
{
  g_autoptr(CbProfile) empty = cb_profile_new ();

  g_return_if_fail (CB_IS_CONNECT_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->profile, cb_profile_free);
  g_clear_object (&self->client);
  fill_form (self, empty, NULL, NULL);
  gtk_widget_set_visible (self->diagnosis_box, FALSE);
  set_testing (self, FALSE, NULL);
  cb_connect_page_set_step (self, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->company_row));
}

typedef struct
{
  char *profile_id;
  char *user_password;
  char *sender_password;
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *ld = data;

  g_free (ld->profile_id);
  cb_clear_secret (&ld->user_password);
  cb_clear_secret (&ld->sender_password);
  g_free (ld);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LookupData *ld = task_data;

  /* A missing or unavailable secret leaves the field empty for the user to type. */
  ld->user_password = cb_secret_store_lookup (ld->profile_id, CB_SECRET_USER_PASSWORD, cancellable, NULL);
  ld->sender_password = cb_secret_store_lookup (ld->profile_id, CB_SECRET_SENDER_PASSWORD, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
lookup_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbConnectPage) self = weak_steal (user_data);
  LookupData *ld = g_task_get_task_data (G_TASK (result));

  if (self == NULL || !g_task_propagate_boolean (G_TASK (result), NULL))
    return;

  set_busy (self, FALSE);
  if (self->profile == NULL || g_strcmp0 (self->profile->id, ld->profile_id) != 0)
    return;

  fill_form (self, self->profile, ld->user_password, ld->sender_password);
  set_testing (self, FALSE, NULL);
}

/* Fills the form with the demo company, on this run's gateway, and tests it; the profile
 * is @profile (a saved demo profile, taken) or a new one. */
static void
open_demo (CbConnectPage *self,
           CbProfile     *profile)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->profile, cb_profile_free);
  self->profile = profile;

  if (self->profile == NULL)
    {
      self->profile = cb_profile_new ();
      self->profile->name = g_strdup (_("Demo company"));
      self->profile->is_demo = TRUE;
    }

  /* The sandbox listens on a new port on every run. */
  profile_set_string (&self->profile->endpoint, self->demo_endpoint);
  profile_set_string (&self->profile->company_id, CB_SANDBOX_COMPANY_ID);
  profile_set_string (&self->profile->user_id, CB_SANDBOX_USER_ID);
  profile_set_string (&self->profile->sender_id, CB_SANDBOX_SENDER_ID);

  cb_connect_page_set_step (self, "form");
  fill_form (self, self->profile, CB_SANDBOX_USER_SECRET, CB_SANDBOX_SENDER_SECRET);
  set_testing (self, FALSE, NULL);
  start_test (self);
}

void
cb_connect_page_open_profile (CbConnectPage *self,
                              const char    *profile_id)
{
  g_autoptr(CbProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  LookupData *ld;

  g_return_if_fail (CB_IS_CONNECT_PAGE (self));
  g_return_if_fail (profile_id != NULL);

  if (self->db == NULL)
    return;

  profile = cb_profile_load (self->db, profile_id, &error);
  if (profile == NULL)
    {
      g_message ("Could not open the profile: %s", error->message);
      return;
    }

  /* The demo company's gateway runs in this process: ask for it, then connect to it. */
  if (profile->is_demo && self->demo_endpoint == NULL)
    g_signal_emit (self, signals[DEMO_REQUESTED], 0);
  if (profile->is_demo && self->demo_endpoint != NULL)
    {
      open_demo (self, g_steal_pointer (&profile));
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->profile, cb_profile_free);
  self->profile = g_steal_pointer (&profile);
  cb_connect_page_set_step (self, "form");

  if (g_strcmp0 (self->run_profile_id, profile_id) == 0)
    {
      fill_form (self, self->profile, self->run_user_password, self->run_sender_password);
      return;
    }

  fill_form (self, self->profile, NULL, NULL);
  set_busy (self, TRUE);
  set_testing (self, TRUE, _("Reading the passwords from the keyring…"));

  ld = g_new0 (LookupData, 1);
  ld->profile_id = g_strdup (profile_id);
  task = g_task_new (NULL, new_cancellable (self), lookup_done_cb, weak_new (self));
  g_task_set_source_tag (task, cb_connect_page_open_profile);
  g_task_set_task_data (task, ld, lookup_data_free);
  g_task_run_in_thread (task, lookup_thread);
}

void
cb_connect_page_set_demo_endpoint (CbConnectPage *self,
                                   const char    *endpoint)
{
  g_return_if_fail (CB_IS_CONNECT_PAGE (self));

  g_free (self->demo_endpoint);
  self->demo_endpoint = g_strdup (endpoint);
}

void
cb_connect_page_use_demo (CbConnectPage *self)
{
  g_autoptr(GPtrArray) profiles = NULL;
  CbProfile *demo = NULL;

  g_return_if_fail (CB_IS_CONNECT_PAGE (self));
  g_return_if_fail (self->demo_endpoint != NULL);

  /* Reuse the demo profile if there is one, so its data and mappings stay. */
  if (self->db != NULL)
    profiles = cb_profile_list (self->db, NULL);
  for (guint i = 0; profiles != NULL && i < profiles->len && demo == NULL; i++)
    {
      CbProfile *profile = g_ptr_array_index (profiles, i);

      if (profile->is_demo)
        demo = cb_profile_copy (profile);
    }

  open_demo (self, demo);
}

gboolean
cb_connect_page_get_busy (CbConnectPage *self)
{
  g_return_val_if_fail (CB_IS_CONNECT_PAGE (self), FALSE);

  return self->busy;
}
