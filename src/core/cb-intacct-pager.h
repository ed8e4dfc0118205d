/* cb-intacct-pager.h: paging through Intacct records as an iterator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cb-intacct-client.h"

G_BEGIN_DECLS

#define CB_TYPE_INTACCT_PAGER (cb_intacct_pager_get_type ())
G_DECLARE_FINAL_TYPE (CbIntacctPager, cb_intacct_pager, CB, INTACCT_PAGER, GObject)

/* readByQuery then readMore with the resultId until numremaining is 0.
 * @page_size 0 means the largest allowed (1000). */
CbIntacctPager *cb_intacct_pager_new_read_by_query (CbIntacctClient    *client,
                                                    const char         *object,
                                                    const char         *fields,
                                                    const char         *query,
                                                    guint               page_size);
/* query with offset += count, ordered by RECORDNO so pages stay stable.
 * @filter (transfer full, nullable). @page_size 0 means the largest allowed (2000). */
CbIntacctPager *cb_intacct_pager_new_query         (CbIntacctClient    *client,
                                                    const char         *object,
                                                    const char * const *select,
                                                    CbIntacctRecord    *filter,
                                                    guint               page_size);

/* The next page (transfer container: a new array of references), or NULL at the end
 * (no error) or on failure (@error set). */
GPtrArray      *cb_intacct_pager_next              (CbIntacctPager     *self,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
gboolean        cb_intacct_pager_is_done           (CbIntacctPager     *self);
/* totalcount from the first page; -1 before it. */
gint64          cb_intacct_pager_get_total         (CbIntacctPager     *self);
guint64         cb_intacct_pager_get_fetched       (CbIntacctPager     *self);

G_END_DECLS
