/* cb-test-sync.h: a sandbox, a database and a profile for the sync tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK-free: core and sandbox only.
 */

#pragma once

#include <glib.h>

#include "cb-database.h"
#include "cb-intacct-client.h"
#include "cb-profile.h"
#include "cb-sandbox.h"

G_BEGIN_DECLS

/**
 * CbTestSyncFlags:
 * @CB_TEST_SYNC_NONE: a profile with only the sandbox's connection
 * @CB_TEST_SYNC_ACCOUNTING: the profile also has the accounting defaults a bookkeeper picks
 *   for the demo company (AP account 2000, location 100, department FIELD)
 * @CB_TEST_SYNC_CLIENT: also open @client, signed in as the sandbox's user, retrying after
 *   10 ms
 * @CB_TEST_SYNC_ASSERT_FINALIZED: cb_test_sync_tear_down() asserts that the client, the
 *   database and the sandbox are finalized when it drops them
 *
 * What cb_test_sync_set_up() makes.
 */
typedef enum
{
  CB_TEST_SYNC_NONE             = 0,
  CB_TEST_SYNC_ACCOUNTING       = 1 << 0,
  CB_TEST_SYNC_CLIENT           = 1 << 1,
  CB_TEST_SYNC_ASSERT_FINALIZED = 1 << 2,
} CbTestSyncFlags;

/**
 * CbTestSync:
 * @sandbox: the sandbox, started on a free port
 * @dir: a temporary folder, removed by cb_test_sync_tear_down()
 * @db_path: the database file in @dir
 * @db: the database open on @db_path
 * @profile: a saved demo profile pointing at @sandbox
 * @client: a client for @profile, or %NULL without %CB_TEST_SYNC_CLIENT
 * @flags: the flags it was set up with
 *
 * A sync fixture; embed it in a test's own fixture.
 */
typedef struct
{
  CbSandbox       *sandbox;
  char            *dir;
  char            *db_path;
  CbDatabase      *db;
  CbProfile       *profile;
  CbIntacctClient *client;
  CbTestSyncFlags  flags;
} CbTestSync;

/**
 * cb_test_sync_set_up:
 * @s: the fixture to fill
 * @tmp_template: the template of the temporary folder's name (ending in `XXXXXX`)
 * @profile_name: the profile's name
 * @flags: what else to make
 *
 * Starts a sandbox, opens a new database in a temporary folder and saves a demo profile
 * named @profile_name that connects to the sandbox; asserts that each step works.
 */
void cb_test_sync_set_up (CbTestSync      *s,
                          const char      *tmp_template,
                          const char      *profile_name,
                          CbTestSyncFlags  flags);

/**
 * cb_test_sync_tear_down:
 * @s: a fixture set up by cb_test_sync_set_up()
 *
 * Drops the client, the profile and the database, removes the database's files and the
 * folder, and stops the sandbox.
 */
void cb_test_sync_tear_down (CbTestSync *s);

/**
 * cb_test_sync_save_profile:
 * @s: a set-up fixture
 *
 * Saves @s's profile again, after a test changed it; asserts that it works.
 */
void cb_test_sync_save_profile (CbTestSync *s);

/**
 * cb_test_sync_generate_bills:
 * @s: a set-up fixture with %CB_TEST_SYNC_ACCOUNTING
 * @n: how many bills
 *
 * Pulls the sandbox's records in full, then stores ten vendors (`KV-0` to `KV-9`), one job
 * (`J-1`), one cost code (`C-1`) and three cost types (`L`, `M`, `S`), mapped to the demo
 * company's records (vendors `V1001` to `V1010`, project 24-001, task 01-310), and @n bills
 * `KB-00000`… of three lines each, ready to plan and sync. Asserts that each step works.
 */
void cb_test_sync_generate_bills (CbTestSync *s,
                                  guint       n);

G_END_DECLS
