/* cb-sandbox-data.c: the demo company "Costbridge Demo Builders"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deterministic seed data (no randomness), so tests can rely on these counts:
 *
 *   LOCATIONENTITY     2   100 North Division, 200 South Division (top level)
 *   LOCATION           4   100, 200 (top level); 110 North Yard (entity 100);
 *                          210 South Yard (entity 200)
 *   DEPARTMENT         5   all top level
 *   GLACCOUNT         15   all top level (2000 Accounts Payable, 5000-5400 job cost, 6000s…)
 *   ITEM               5   non-inventory, top level
 *   STANDARDCOSTTYPE   5   L M S E O, top level
 *   STANDARDTASK      40   CSI MasterFormat-style cost codes, top level
 *   VENDOR            50   40 top level, 5 in entity 100 (N…), 5 in entity 200 (S…);
 *                          4 inactive (V1037, V1038, V1039, V1040)
 *   PROJECT           12   4 top level, 4 in entity 100, 4 in entity 200
 *   TASK              48   4 per project, each from a standard task, same entity as project
 *   COSTTYPE         144   L, M and S for every task
 *   APBILL             6   2 top level, 2 in entity 100, 2 in entity 200; 2 lines each
 *
 * Every record has RECORDNO and WHENMODIFIED ("01/15/2024 09:00:00" for seed data).
 */

#define G_LOG_DOMAIN "cb-sandbox-data"

#include "config.h"

#include <stdarg.h>

#include "cb-sandbox.h"
#include "cb-sandbox-private.h"

#define SEED_MODIFIED "01/15/2024 09:00:00"

/* Adds one record: NULL-terminated name, value pairs. */
static CbSbRecord *
add (CbSbStore  *store,
     const char *object,
     const char *entity,
     ...)
{
  const CbSbObjectDef *def = cb_sb_object_lookup (object);
  CbSbRecord *record = cb_sb_record_new (def);
  char buf[16];
  const char *name;
  va_list ap;

  g_assert (def != NULL);
  record->recordno = cb_sb_store_next_recordno (store);
  record->entity = g_strdup (entity);
  g_snprintf (buf, sizeof buf, "%u", record->recordno);
  cb_sb_record_set (record, "RECORDNO", buf);

  va_start (ap, entity);
  while ((name = va_arg (ap, const char *)) != NULL)
    cb_sb_record_set (record, name, va_arg (ap, const char *));
  va_end (ap);

  if (def->status_default != NULL && cb_sb_record_get (record, "STATUS") == NULL)
    cb_sb_record_set (record, "STATUS", def->status_default);
  cb_sb_record_set (record, "WHENMODIFIED", SEED_MODIFIED);
  cb_sb_store_insert (store, record);
  return record;
}

static const struct { const char *id; const char *name; } standard_tasks[] = {
  { "01-310", "Project Management and Coordination" },
  { "01-500", "Temporary Facilities" },
  { "01-740", "Cleaning and Waste Management" },
  { "02-410", "Demolition" },
  { "03-100", "Concrete Forming" },
  { "03-200", "Concrete Reinforcing" },
  { "03-300", "Cast-in-Place Concrete" },
  { "03-400", "Precast Concrete" },
  { "04-200", "Unit Masonry" },
  { "05-120", "Structural Steel Framing" },
  { "05-500", "Metal Fabrications" },
  { "06-100", "Rough Carpentry" },
  { "06-200", "Finish Carpentry" },
  { "07-210", "Thermal Insulation" },
  { "07-500", "Membrane Roofing" },
  { "07-620", "Sheet Metal Flashing and Trim" },
  { "07-920", "Joint Sealants" },
  { "08-110", "Steel Doors and Frames" },
  { "08-410", "Entrances and Storefronts" },
  { "08-710", "Door Hardware" },
  { "09-250", "Gypsum Board" },
  { "09-300", "Tiling" },
  { "09-510", "Acoustical Ceilings" },
  { "09-650", "Resilient Flooring" },
  { "09-900", "Painting and Coating" },
  { "10-280", "Toilet and Bath Accessories" },
  { "21-130", "Fire-Suppression Sprinkler Systems" },
  { "22-100", "Plumbing Piping" },
  { "22-400", "Plumbing Fixtures" },
  { "23-300", "HVAC Air Distribution" },
  { "23-700", "Central HVAC Equipment" },
  { "26-050", "Electrical Basic Materials" },
  { "26-240", "Switchboards and Panelboards" },
  { "26-500", "Lighting" },
  { "27-100", "Structured Cabling" },
  { "28-310", "Fire Detection and Alarm" },
  { "31-200", "Earth Moving" },
  { "31-230", "Excavation and Fill" },
  { "32-120", "Flexible Paving" },
  { "33-400", "Storm Drainage Utilities" },
};

static const struct { const char *id; const char *name; const char *account; } cost_types[] = {
  { "L", "Labor", "5000" },
  { "M", "Material", "5100" },
  { "S", "Subcontract", "5200" },
  { "E", "Equipment", "5300" },
  { "O", "Other", "5400" },
};

/* Vendor: name, contact e-mail domain, entity (NULL top level), inactive. */
static const struct { const char *name; const char *domain; const char *entity; } vendors[] = {
  { "Granite State Ready-Mix", "granitereadymix.com", NULL },
  { "Keystone Rebar Supply", "keystonerebar.com", NULL },
  { "Bright Line Electric", "brightlineelectric.com", NULL },
  { "Copperfield Plumbing & Heating", "copperfieldph.com", NULL },
  { "Northwind Mechanical HVAC", "northwindmech.com", NULL },
  { "Level Best Drywall", "levelbestdrywall.com", NULL },
  { "Summit Roofing Contractors", "summitroofing.com", NULL },
  { "Tall Pine Lumber Yard", "tallpinelumber.com", NULL },
  { "Heavy Lift Equipment Rental", "heavyliftrental.com", NULL },
  { "Bedrock Excavating", "bedrockexcavating.com", NULL },
  { "Clearview Glass & Storefront", "clearviewglass.com", NULL },
  { "Ironclad Steel Erectors", "ironcladsteel.com", NULL },
  { "True North Surveying", "truenorthsurvey.com", NULL },
  { "Redline Fire Protection", "redlinefire.com", NULL },
  { "Masonry Masters of Ohio", "masonrymasters.com", NULL },
  { "Evergreen Landscaping", "evergreenland.com", NULL },
  { "Apex Concrete Pumping", "apexpumping.com", NULL },
  { "Precision Metal Fabricators", "precisionmetalfab.com", NULL },
  { "Smooth Coat Painting", "smoothcoat.com", NULL },
  { "Cornerstone Tile & Stone", "cornerstonetile.com", NULL },
  { "Allied Insulation Services", "alliedinsulation.com", NULL },
  { "Sunrise Portable Toilets", "sunriseportable.com", NULL },
  { "Blue Ribbon Waste Hauling", "blueribbonwaste.com", NULL },
  { "Midstate Asphalt Paving", "midstateasphalt.com", NULL },
  { "Keyline Doors & Hardware", "keylinedoors.com", NULL },
  { "Ceiling Systems Inc", "ceilingsystems.com", NULL },
  { "Floorcraft Resilient Flooring", "floorcraft.com", NULL },
  { "Signal Tech Low Voltage", "signaltechlv.com", NULL },
  { "Hillside Crane Service", "hillsidecrane.com", NULL },
  { "Quarry Road Aggregates", "quarryroadagg.com", NULL },
  { "Harbor Precast Products", "harborprecast.com", NULL },
  { "Frontier Scaffolding", "frontierscaffold.com", NULL },
  { "Lakeshore Sheet Metal", "lakeshoresheetmetal.com", NULL },
  { "Pioneer Demolition", "pioneerdemo.com", NULL },
  { "Atlas Formwork Rentals", "atlasformwork.com", NULL },
  { "Millwork Specialties", "millworkspecialties.com", NULL },
  { "Old Mill Sawmill", "oldmillsawmill.com", NULL },
  { "Riverbend Electric Supply", "riverbendelectric.com", NULL },
  { "Westgate Hardware", "westgatehardware.com", NULL },
  { "Cascade Sealants", "cascadesealants.com", NULL },
  { "North Valley Concrete", "northvalleyconcrete.com", CB_SANDBOX_ENTITY_NORTH },
  { "Northern Lights Electrical", "northernlightselec.com", CB_SANDBOX_ENTITY_NORTH },
  { "Polar Air Mechanical", "polarairmech.com", CB_SANDBOX_ENTITY_NORTH },
  { "Birchwood Framing", "birchwoodframing.com", CB_SANDBOX_ENTITY_NORTH },
  { "Ridgeline Roofing North", "ridgelineroofing.com", CB_SANDBOX_ENTITY_NORTH },
  { "Southern Cross Plumbing", "southerncrossplumb.com", CB_SANDBOX_ENTITY_SOUTH },
  { "Gulf Coast Rebar", "gulfcoastrebar.com", CB_SANDBOX_ENTITY_SOUTH },
  { "Palmetto Drywall", "palmettodrywall.com", CB_SANDBOX_ENTITY_SOUTH },
  { "Magnolia Equipment Rental", "magnoliarental.com", CB_SANDBOX_ENTITY_SOUTH },
  { "Bayou Site Work", "bayousitework.com", CB_SANDBOX_ENTITY_SOUTH },
};

static const struct { const char *id; const char *name; const char *category; const char *entity; }
projects[] = {
  { "24-001", "Riverside Medical Office Building", "Contract", NULL },
  { "24-002", "Harbor View Apartments", "Contract", NULL },
  { "24-003", "Company Yard Improvements", "Internal Capitalized", NULL },
  { "24-004", "Maple Street Elementary Addition", "Contract", NULL },
  { "24-101", "North Distribution Warehouse", "Contract", CB_SANDBOX_ENTITY_NORTH },
  { "24-102", "Lakeside Fire Station No. 4", "Contract", CB_SANDBOX_ENTITY_NORTH },
  { "24-103", "Pinecrest Library Renovation", "Contract", CB_SANDBOX_ENTITY_NORTH },
  { "24-104", "Northgate Retail Center", "Contract", CB_SANDBOX_ENTITY_NORTH },
  { "24-201", "South Bay Parking Structure", "Contract", CB_SANDBOX_ENTITY_SOUTH },
  { "24-202", "Oakridge Senior Living", "Contract", CB_SANDBOX_ENTITY_SOUTH },
  { "24-203", "Magnolia Park Restrooms", "Contract", CB_SANDBOX_ENTITY_SOUTH },
  { "24-204", "Southside Water Treatment Upgrade", "Contract", CB_SANDBOX_ENTITY_SOUTH },
};

static const char *const project_statuses[] = { "In Progress", "In Progress", "Planned",
                                                 "In Progress", "Completed", "In Progress" };

void
cb_sb_seed_demo_company (CbSbStore *store)
{
  char id[32], email[96], taxid[16], printas[128];

  add (store, "LOCATIONENTITY", NULL, "LOCATIONID", CB_SANDBOX_ENTITY_NORTH,
       "NAME", "North Division", "CURRENCY", "USD", "FIRSTFISCALMONTH", "1",
       "FIRSTTAXMONTH", "1", "WEEKSTART", "Sunday", NULL);
  add (store, "LOCATIONENTITY", NULL, "LOCATIONID", CB_SANDBOX_ENTITY_SOUTH,
       "NAME", "South Division", "CURRENCY", "USD", "FIRSTFISCALMONTH", "1",
       "FIRSTTAXMONTH", "1", "WEEKSTART", "Sunday", NULL);

  add (store, "LOCATION", NULL, "LOCATIONID", CB_SANDBOX_ENTITY_NORTH,
       "NAME", "North Division", NULL);
  add (store, "LOCATION", NULL, "LOCATIONID", CB_SANDBOX_ENTITY_SOUTH,
       "NAME", "South Division", NULL);
  add (store, "LOCATION", CB_SANDBOX_ENTITY_NORTH, "LOCATIONID", "110", "NAME", "North Yard",
       "PARENTID", CB_SANDBOX_ENTITY_NORTH, NULL);
  add (store, "LOCATION", CB_SANDBOX_ENTITY_SOUTH, "LOCATIONID", "210", "NAME", "South Yard",
       "PARENTID", CB_SANDBOX_ENTITY_SOUTH, NULL);

  add (store, "DEPARTMENT", NULL, "DEPARTMENTID", "ADMIN", "TITLE", "Administration", NULL);
  add (store, "DEPARTMENT", NULL, "DEPARTMENTID", "FIELD", "TITLE", "Field Operations", NULL);
  add (store, "DEPARTMENT", NULL, "DEPARTMENTID", "EST", "TITLE", "Estimating", NULL);
  add (store, "DEPARTMENT", NULL, "DEPARTMENTID", "PM", "TITLE", "Project Management", NULL);
  add (store, "DEPARTMENT", NULL, "DEPARTMENTID", "SHOP", "TITLE", "Equipment Shop", NULL);

  {
    static const struct { const char *no; const char *title; const char *type; } accounts[] = {
      { "1000", "Operating Cash", "balancesheet" },
      { "1200", "Accounts Receivable", "balancesheet" },
      { "2000", "Accounts Payable", "balancesheet" },
      { "2050", "Retainage Payable", "balancesheet" },
      { "4000", "Contract Revenue", "incomestatement" },
      { "5000", "Job Cost - Labor", "incomestatement" },
      { "5100", "Job Cost - Materials", "incomestatement" },
      { "5200", "Job Cost - Subcontracts", "incomestatement" },
      { "5300", "Job Cost - Equipment", "incomestatement" },
      { "5400", "Job Cost - Other", "incomestatement" },
      { "6000", "Office Rent", "incomestatement" },
      { "6100", "Utilities", "incomestatement" },
      { "6200", "Insurance", "incomestatement" },
      { "6300", "Vehicle Expense", "incomestatement" },
      { "6400", "Office Supplies", "incomestatement" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
      {
        gboolean job = accounts[i].no[0] == '5';
        add (store, "GLACCOUNT", NULL, "ACCOUNTNO", accounts[i].no, "TITLE", accounts[i].title,
             "ACCOUNTTYPE", accounts[i].type,
             "NORMALBALANCE", accounts[i].no[0] == '2' || accounts[i].no[0] == '4'
                              ? "credit" : "debit",
             "REQUIREPROJECT", job ? "true" : "false",
             "REQUIRETASK", job ? "true" : "false",
             "REQUIREDEPT", "false", "REQUIRELOC", "false", NULL);
      }
  }

  add (store, "ITEM", NULL, "ITEMID", "LABOR", "NAME", "Labor", "ITEMTYPE", "Non-Inventory", NULL);
  add (store, "ITEM", NULL, "ITEMID", "MATERIALS", "NAME", "Materials",
       "ITEMTYPE", "Non-Inventory", NULL);
  add (store, "ITEM", NULL, "ITEMID", "SUBCONTRACT", "NAME", "Subcontract Work",
       "ITEMTYPE", "Non-Inventory (Purchase only)", NULL);
  add (store, "ITEM", NULL, "ITEMID", "EQUIPMENT", "NAME", "Equipment Rental",
       "ITEMTYPE", "Non-Inventory (Purchase only)", NULL);
  add (store, "ITEM", NULL, "ITEMID", "OTHER", "NAME", "Other Job Costs",
       "ITEMTYPE", "Non-Inventory", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cost_types); i++)
    add (store, "STANDARDCOSTTYPE", NULL, "STANDARDCOSTTYPEID", cost_types[i].id,
         "NAME", cost_types[i].name, "ACCOUNTNO", cost_types[i].account,
         "ACCUMULATIONTYPENAME", cost_types[i].name, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (standard_tasks); i++)
    {
      g_autofree char *taskno = g_strndup (standard_tasks[i].id, 2);
      add (store, "STANDARDTASK", NULL, "STANDARDTASKID", standard_tasks[i].id,
           "NAME", standard_tasks[i].name, "TASKNO", taskno, NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    {
      const char *entity = vendors[i].entity;
      gboolean inactive = i >= 36 && i < 40;

      if (entity == NULL)
        g_snprintf (id, sizeof id, "V%04u", 1001 + i);
      else
        g_snprintf (id, sizeof id, "%c%04u", entity[0] == '1' ? 'N' : 'S', 1001 + i);
      g_snprintf (email, sizeof email, "ap@%s", vendors[i].domain);
      g_snprintf (taxid, sizeof taxid, "%02u-%07u", 10 + i, 1234567 + i * 1111);
      g_snprintf (printas, sizeof printas, "%s", vendors[i].name);
      add (store, "VENDOR", entity, "VENDORID", id, "NAME", vendors[i].name,
           "VENDTYPE", i % 3 == 0 ? "Supplier" : "Subcontractor",
           "TAXID", taxid, "TERMNAME", i % 2 ? "Net 30" : "Net 45",
           "DISPLAYCONTACT.PRINTAS", printas, "DISPLAYCONTACT.EMAIL1", email,
           "STATUS", inactive ? "inactive" : "active", NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (projects); i++)
    {
      const char *entity = projects[i].entity;

      add (store, "PROJECT", entity, "PROJECTID", projects[i].id, "NAME", projects[i].name,
           "PROJECTCATEGORY", projects[i].category,
           "PROJECTSTATUS", project_statuses[i % G_N_ELEMENTS (project_statuses)],
           "LOCATIONID", entity ? entity : "", "BEGINDATE", "02/01/2024", NULL);
      for (guint k = 0; k < 4; k++)
        {
          guint t = (i + k * 10) % G_N_ELEMENTS (standard_tasks);

          add (store, "TASK", entity, "TASKID", standard_tasks[t].id,
               "NAME", standard_tasks[t].name, "PROJECTID", projects[i].id,
               "STANDARDTASKID", standard_tasks[t].id,
               "TASKSTATUS", k == 0 ? "In Progress" : "Planned", NULL);
          for (guint c = 0; c < 3; c++)
            add (store, "COSTTYPE", entity, "COSTTYPEID", cost_types[c].id,
                 "NAME", cost_types[c].name, "STANDARDCOSTTYPEID", cost_types[c].id,
                 "PROJECTID", projects[i].id, "TASKID", standard_tasks[t].id,
                 "ACCOUNTNO", cost_types[c].account, NULL);
        }
    }

  /* Two bills per scope: a vendor and a project of the same scope, two lines each. */
  {
    static const struct { const char *vendor; guint project; const char *entity; } bills[] = {
      { "V1001", 0, NULL },
      { "V1003", 1, NULL },
      { "N1041", 4, CB_SANDBOX_ENTITY_NORTH },
      { "N1042", 5, CB_SANDBOX_ENTITY_NORTH },
      { "S1046", 8, CB_SANDBOX_ENTITY_SOUTH },
      { "S1047", 9, CB_SANDBOX_ENTITY_SOUTH },
    };
    const CbSbObjectDef *line_def = cb_sb_line_def ();

    for (guint i = 0; i < G_N_ELEMENTS (bills); i++)
      {
        guint p = bills[i].project;
        guint t0 = p % G_N_ELEMENTS (standard_tasks);
        guint t1 = (p + 10) % G_N_ELEMENTS (standard_tasks);
        char recordid[16], amount0[16], amount1[16], total[16];
        CbSbRecord *bill;

        g_snprintf (recordid, sizeof recordid, "INV-%04u", 5001 + i);
        g_snprintf (amount0, sizeof amount0, "%u.00", 1200 + i * 350);
        g_snprintf (amount1, sizeof amount1, "%u.50", 800 + i * 125);
        g_snprintf (total, sizeof total, "%u.50", 2000 + i * 475);
        bill = add (store, "APBILL", bills[i].entity, "RECORDID", recordid,
                    "VENDORID", bills[i].vendor, "WHENCREATED", "03/01/2024",
                    "WHENDUE", "03/31/2024", "DESCRIPTION", "Progress billing",
                    "STATE", "Posted", "TOTALENTERED", total, NULL);
        for (guint l = 0; l < 2; l++)
          {
            CbSbRecord *line = cb_sb_record_new (line_def);
            char no[16];

            line->recordno = cb_sb_store_next_recordno (store);
            line->entity = g_strdup (bills[i].entity);
            g_snprintf (no, sizeof no, "%u", line->recordno);
            cb_sb_record_set (line, "RECORDNO", no);
            g_snprintf (no, sizeof no, "%u", l + 1);
            cb_sb_record_set (line, "LINE_NO", no);
            cb_sb_record_set (line, "ACCOUNTNO", l == 0 ? "5200" : "5100");
            cb_sb_record_set (line, "TRX_AMOUNT", l == 0 ? amount0 : amount1);
            cb_sb_record_set (line, "PROJECTID", projects[p].id);
            cb_sb_record_set (line, "TASKID", standard_tasks[l == 0 ? t0 : t1].id);
            cb_sb_record_set (line, "COSTTYPEID", l == 0 ? "S" : "M");
            cb_sb_record_set (line, "ENTRYDESCRIPTION", l == 0 ? "Subcontract work to date"
                                                               : "Materials delivered");
            g_ptr_array_add (bill->lines, line);
          }
      }
  }
}

void
cb_sb_seed_generated_vendors (CbSbStore *store,
                              guint      first,
                              guint      n)
{
  static const char *const trades[] = {
    "Concrete", "Electric", "Plumbing", "Mechanical", "Drywall", "Roofing", "Lumber",
    "Rental", "Paving", "Steel",
  };
  char id[32], name[96], email[96], taxid[16];

  for (guint i = 0; i < n; i++)
    {
      guint k = first + i;

      g_snprintf (id, sizeof id, "GV%06u", k);
      g_snprintf (name, sizeof name, "Generated %s Vendor %06u", trades[k % 10], k);
      g_snprintf (email, sizeof email, "ap%06u@vendors.example.com", k);
      g_snprintf (taxid, sizeof taxid, "%02u-%07u", 10 + k % 90, k % 10000000);
      add (store, "VENDOR", NULL, "VENDORID", id, "NAME", name, "VENDTYPE", "Subcontractor",
           "TAXID", taxid, "DISPLAYCONTACT.PRINTAS", name, "DISPLAYCONTACT.EMAIL1", email,
           "STATUS", "active", NULL);
    }
}
