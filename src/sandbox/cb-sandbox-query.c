/* cb-sandbox-query.c: readByQuery's query language and query's <filter>, on sandbox records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * readByQuery grammar (keywords in any case):
 *
 *   expr       := and_expr { OR and_expr }
 *   and_expr   := unary { AND unary }
 *   unary      := NOT unary | '(' expr ')' | condition
 *   condition  := FIELD op value
 *               | FIELD [NOT] LIKE string
 *               | FIELD [NOT] IN '(' value { ',' value } ')'
 *               | FIELD IS [NOT] NULL
 *   op         := '=' | '!=' | '<>' | '<' | '>' | '<=' | '>='
 *   value      := 'quoted string, \' escapes a quote' | number
 *
 * String comparison is case sensitive, as Sage documents. Numbers compare as numbers and
 * mm/dd/yyyy dates as dates. An absent field counts as the empty string, and IS NULL is
 * true for absent or empty fields.
 */

#define G_LOG_DOMAIN "cb-sandbox-query"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cb-sandbox-private.h"

typedef enum
{
  EXPR_AND,
  EXPR_OR,
  EXPR_NOT,
  EXPR_CMP,
  EXPR_LIKE,
  EXPR_IN,
  EXPR_NULL,
} ExprKind;

typedef enum
{
  OP_EQ,
  OP_NE,
  OP_LT,
  OP_LE,
  OP_GT,
  OP_GE,
} CmpOp;

struct _CbSbExpr
{
  ExprKind    kind;
  gboolean    negate;
  CmpOp       op;
  const char *field;     /* interned, upper case */
  char       *value;
  GPtrArray  *values;    /* IN */
  CbSbExpr   *left;
  CbSbExpr   *right;
};

void
cb_sb_expr_free (CbSbExpr *expr)
{
  if (expr == NULL)
    return;
  g_free (expr->value);
  g_clear_pointer (&expr->values, g_ptr_array_unref);
  cb_sb_expr_free (expr->left);
  cb_sb_expr_free (expr->right);
  g_free (expr);
}

static CbSbExpr *
expr_new (ExprKind kind)
{
  CbSbExpr *e = g_new0 (CbSbExpr, 1);

  e->kind = kind;
  return e;
}

static const char *
intern_field (const char *name)
{
  g_autofree char *up = g_ascii_strup (name, -1);

  return g_intern_string (up);
}

/* ---- values ------------------------------------------------------------------------------ */

static gboolean
parse_number (const char *s,
              double     *out)
{
  char *end = NULL;

  if (s == NULL || *s == '\0' || g_ascii_isspace (*s))
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != NULL && *end == '\0';
}

/* "mm/dd/yyyy" or "mm/dd/yyyy hh:mm:ss" (WHENMODIFIED) as yyyymmddhhmmss, so that dates
 * and timestamps compare in time order, across years too. */
static gboolean
parse_date (const char *s,
            guint64    *out)
{
  gsize len = s != NULL ? strlen (s) : 0;
  guint64 value;

  if ((len != 10 && len != 19) || s[2] != '/' || s[5] != '/')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 2 && i != 5 && !g_ascii_isdigit (s[i]))
      return FALSE;
  value = (guint64) atoi (s + 6) * 10000 + (guint64) atoi (s) * 100 + (guint64) atoi (s + 3);
  value *= 1000000;
  if (len == 19)
    {
      if (s[10] != ' ' || s[13] != ':' || s[16] != ':')
        return FALSE;
      for (guint i = 11; i < 19; i++)
        if (i != 13 && i != 16 && !g_ascii_isdigit (s[i]))
          return FALSE;
      value += (guint64) atoi (s + 11) * 10000 + (guint64) atoi (s + 14) * 100 +
               (guint64) atoi (s + 17);
    }
  *out = value;
  return TRUE;
}

int
cb_sb_compare_values (const char *a,
                      const char *b,
                      gboolean    case_insensitive)
{
  double da, db;
  guint64 ta, tb;

  a = a ? a : "";
  b = b ? b : "";
  if (parse_number (a, &da) && parse_number (b, &db))
    return (da > db) - (da < db);
  if (parse_date (a, &ta) && parse_date (b, &tb))
    return (ta > tb) - (ta < tb);
  if (case_insensitive)
    {
      g_autofree char *fa = g_utf8_casefold (a, -1);
      g_autofree char *fb = g_utf8_casefold (b, -1);
      return strcmp (fa, fb);
    }
  return strcmp (a, b);
}

static gboolean
like_match (const char *s,
            const char *p)
{
  const char *star_p = NULL;
  const char *star_s = NULL;

  while (*s != '\0')
    {
      if (*p == '%')
        {
          star_p = ++p;
          star_s = s;
        }
      else if (*p == '_' && *p != '\0')
        {
          s = g_utf8_next_char (s);
          p++;
        }
      else if (*p != '\0' && *p == *s)
        {
          s++;
          p++;
        }
      else if (star_p != NULL)
        {
          p = star_p;
          star_s = g_utf8_next_char (star_s);
          s = star_s;
        }
      else
        return FALSE;
    }
  while (*p == '%')
    p++;
  return *p == '\0';
}

gboolean
cb_sb_like (const char *value,
            const char *pattern,
            gboolean    case_insensitive)
{
  value = value ? value : "";
  pattern = pattern ? pattern : "";
  if (case_insensitive)
    {
      g_autofree char *fv = g_utf8_casefold (value, -1);
      g_autofree char *fp = g_utf8_casefold (pattern, -1);
      return like_match (fv, fp);
    }
  return like_match (value, pattern);
}

gboolean
cb_sb_expr_match (const CbSbExpr   *expr,
                  const CbSbRecord *record,
                  gboolean          ci)
{
  const char *v;

  if (expr == NULL)
    return TRUE;

  switch (expr->kind)
    {
    case EXPR_AND:
      return cb_sb_expr_match (expr->left, record, ci) &&
             cb_sb_expr_match (expr->right, record, ci);
    case EXPR_OR:
      return cb_sb_expr_match (expr->left, record, ci) ||
             cb_sb_expr_match (expr->right, record, ci);
    case EXPR_NOT:
      return !cb_sb_expr_match (expr->left, record, ci);
    case EXPR_NULL:
      v = cb_sb_record_get (record, expr->field);
      return (v == NULL || *v == '\0') != expr->negate;
    case EXPR_LIKE:
      v = cb_sb_record_get (record, expr->field);
      return cb_sb_like (v, expr->value, ci) != expr->negate;
    case EXPR_IN:
      v = cb_sb_record_get (record, expr->field);
      for (guint i = 0; i < expr->values->len; i++)
        if (cb_sb_compare_values (v, g_ptr_array_index (expr->values, i), ci) == 0)
          return !expr->negate;
      return expr->negate;
    case EXPR_CMP:
      {
        int c = cb_sb_compare_values (cb_sb_record_get (record, expr->field), expr->value, ci);
        switch (expr->op)
          {
          case OP_EQ: return c == 0;
          case OP_NE: return c != 0;
          case OP_LT: return c < 0;
          case OP_LE: return c <= 0;
          case OP_GT: return c > 0;
          case OP_GE: return c >= 0;
          default: g_assert_not_reached ();
          }
      }
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

/* ---- readByQuery text parser ------------------------------------------------------------ */

typedef enum
{
  TOK_END,
  TOK_IDENT,
  TOK_STRING,
  TOK_NUMBER,
  TOK_OP,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_COMMA,
} TokKind;

typedef struct
{
  TokKind kind;
  char   *text;
  gsize   pos;
} Token;

typedef struct
{
  GArray *tokens;
  guint   i;
  char   *error;
} Parser;

static void
clear_token (Token *t)
{
  g_free (t->text);
}

static gboolean
tokenize (const char *text,
          GArray     *tokens,
          char      **error)
{
  const char *p = text;

  for (;;)
    {
      Token t = { TOK_END, NULL, (gsize) (p - text) };

      while (g_ascii_isspace (*p))
        p++;
      t.pos = (gsize) (p - text) + 1;
      if (*p == '\0')
        {
          g_array_append_val (tokens, t);
          return TRUE;
        }
      if (*p == '\'')
        {
          GString *s = g_string_new (NULL);

          p++;
          for (;;)
            {
              if (*p == '\0')
                {
                  g_string_free (s, TRUE);
                  *error = g_strdup_printf ("unterminated string starting at position %zu",
                                            t.pos);
                  return FALSE;
                }
              if (*p == '\\' && p[1] != '\0')
                {
                  g_string_append_c (s, p[1]);
                  p += 2;
                  continue;
                }
              if (*p == '\'')
                {
                  p++;
                  break;
                }
              g_string_append_c (s, *p++);
            }
          t.kind = TOK_STRING;
          t.text = g_string_free (s, FALSE);
        }
      else if (g_ascii_isdigit (*p) ||
               ((*p == '-' || *p == '.') && (g_ascii_isdigit (p[1]) || p[1] == '.')))
        {
          const char *start = p++;

          while (g_ascii_isdigit (*p) || *p == '.')
            p++;
          t.kind = TOK_NUMBER;
          t.text = g_strndup (start, p - start);
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          const char *start = p;

          while (g_ascii_isalnum (*p) || *p == '_' || *p == '.')
            p++;
          t.kind = TOK_IDENT;
          t.text = g_strndup (start, p - start);
        }
      else if (*p == '(' || *p == ')' || *p == ',')
        {
          t.kind = *p == '(' ? TOK_LPAREN : *p == ')' ? TOK_RPAREN : TOK_COMMA;
          t.text = g_strndup (p, 1);
          p++;
        }
      else if (strncmp (p, "<=", 2) == 0 || strncmp (p, ">=", 2) == 0 ||
               strncmp (p, "<>", 2) == 0 || strncmp (p, "!=", 2) == 0)
        {
          t.kind = TOK_OP;
          t.text = g_strndup (p, 2);
          p += 2;
        }
      else if (*p == '=' || *p == '<' || *p == '>')
        {
          t.kind = TOK_OP;
          t.text = g_strndup (p, 1);
          p++;
        }
      else
        {
          *error = g_strdup_printf ("unexpected character '%c' at position %zu", *p, t.pos);
          return FALSE;
        }
      g_array_append_val (tokens, t);
    }
}

static Token *
peek (Parser *ps)
{
  return &g_array_index (ps->tokens, Token, ps->i);
}

static Token *
next (Parser *ps)
{
  Token *t = peek (ps);

  if (t->kind != TOK_END)
    ps->i++;
  return t;
}

static gboolean
is_keyword (const Token *t,
            const char  *word)
{
  return t->kind == TOK_IDENT && g_ascii_strcasecmp (t->text, word) == 0;
}

static gboolean
is_reserved (const Token *t)
{
  static const char *const words[] = { "AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL", NULL };

  for (guint i = 0; words[i]; i++)
    if (is_keyword (t, words[i]))
      return TRUE;
  return FALSE;
}

static void *
fail (Parser     *ps,
      const char *expected)
{
  Token *t = peek (ps);

  if (ps->error == NULL)
    {
      if (t->kind == TOK_END)
        ps->error = g_strdup_printf ("expected %s at the end of the query", expected);
      else
        ps->error = g_strdup_printf ("expected %s at position %zu, found '%s'",
                                     expected, t->pos, t->text);
    }
  return NULL;
}

static CbSbExpr *parse_or (Parser *ps);

static char *
parse_value (Parser *ps)
{
  Token *t = peek (ps);

  if (t->kind == TOK_STRING || t->kind == TOK_NUMBER)
    return g_strdup (next (ps)->text);
  return fail (ps, "a quoted string or a number");
}

static CbSbExpr *
parse_condition (Parser *ps)
{
  Token *field = peek (ps);
  g_autoptr(CbSbExpr) e = NULL;
  gboolean negate = FALSE;
  Token *t;

  if (field->kind != TOK_IDENT || is_reserved (field))
    return fail (ps, "a field name");
  next (ps);

  t = peek (ps);
  if (t->kind == TOK_OP)
    {
      const char *op = next (ps)->text;

      e = expr_new (EXPR_CMP);
      e->field = intern_field (field->text);
      if (strcmp (op, "=") == 0)
        e->op = OP_EQ;
      else if (strcmp (op, "!=") == 0 || strcmp (op, "<>") == 0)
        e->op = OP_NE;
      else if (strcmp (op, "<") == 0)
        e->op = OP_LT;
      else if (strcmp (op, "<=") == 0)
        e->op = OP_LE;
      else if (strcmp (op, ">") == 0)
        e->op = OP_GT;
      else
        e->op = OP_GE;
      e->value = parse_value (ps);
      if (e->value == NULL)
        return NULL;
      return g_steal_pointer (&e);
    }

  if (is_keyword (t, "IS"))
    {
      next (ps);
      if (is_keyword (peek (ps), "NOT"))
        {
          next (ps);
          negate = TRUE;
        }
      if (!is_keyword (peek (ps), "NULL"))
        return fail (ps, "NULL");
      next (ps);
      e = expr_new (EXPR_NULL);
      e->field = intern_field (field->text);
      e->negate = negate;
      return g_steal_pointer (&e);
    }

  if (is_keyword (t, "NOT"))
    {
      next (ps);
      negate = TRUE;
      t = peek (ps);
      if (!is_keyword (t, "LIKE") && !is_keyword (t, "IN"))
        return fail (ps, "LIKE or IN after NOT");
    }

  if (is_keyword (t, "LIKE"))
    {
      next (ps);
      if (peek (ps)->kind != TOK_STRING)
        return fail (ps, "a quoted pattern after LIKE");
      e = expr_new (EXPR_LIKE);
      e->field = intern_field (field->text);
      e->negate = negate;
      e->value = g_strdup (next (ps)->text);
      return g_steal_pointer (&e);
    }

  if (is_keyword (t, "IN"))
    {
      next (ps);
      if (peek (ps)->kind != TOK_LPAREN)
        return fail (ps, "'(' after IN");
      next (ps);
      e = expr_new (EXPR_IN);
      e->field = intern_field (field->text);
      e->negate = negate;
      e->values = g_ptr_array_new_with_free_func (g_free);
      for (;;)
        {
          char *v = parse_value (ps);

          if (v == NULL)
            return NULL;
          g_ptr_array_add (e->values, v);
          if (peek (ps)->kind == TOK_COMMA)
            {
              next (ps);
              continue;
            }
          if (peek (ps)->kind == TOK_RPAREN)
            {
              next (ps);
              break;
            }
          return fail (ps, "',' or ')' in the IN list");
        }
      return g_steal_pointer (&e);
    }

  return fail (ps, "a comparison operator, LIKE, IN or IS");
}

static CbSbExpr *
parse_unary (Parser *ps)
{
  Token *t = peek (ps);

  if (is_keyword (t, "NOT"))
    {
      CbSbExpr *inner;
      CbSbExpr *e;

      next (ps);
      inner = parse_unary (ps);
      if (inner == NULL)
        return NULL;
      e = expr_new (EXPR_NOT);
      e->left = inner;
      return e;
    }
  if (t->kind == TOK_LPAREN)
    {
      g_autoptr(CbSbExpr) inner = NULL;

      next (ps);
      inner = parse_or (ps);
      if (inner == NULL)
        return NULL;
      if (peek (ps)->kind != TOK_RPAREN)
        return fail (ps, "')'");
      next (ps);
      return g_steal_pointer (&inner);
    }
  return parse_condition (ps);
}

static CbSbExpr *
parse_binary (Parser     *ps,
              const char *keyword,
              ExprKind    kind,
              CbSbExpr *(*sub) (Parser *))
{
  g_autoptr(CbSbExpr) left = sub (ps);

  if (left == NULL)
    return NULL;
  while (is_keyword (peek (ps), keyword))
    {
      CbSbExpr *right;
      CbSbExpr *e;

      next (ps);
      right = sub (ps);
      if (right == NULL)
        return NULL;
      e = expr_new (kind);
      e->left = g_steal_pointer (&left);
      e->right = right;
      left = e;
    }
  return g_steal_pointer (&left);
}

static CbSbExpr *
parse_and (Parser *ps)
{
  return parse_binary (ps, "AND", EXPR_AND, parse_unary);
}

static CbSbExpr *
parse_or (Parser *ps)
{
  return parse_binary (ps, "OR", EXPR_OR, parse_and);
}

/* readByQuery compares boolean fields with 'T' and 'F' (Sage's docs and the reference's own
 * example use STATUS = 'T'), while the records hold "active"/"inactive". */
static void
map_status_literal (char **value)
{
  if (g_strcmp0 (*value, "T") == 0)
    g_free (g_steal_pointer (value)), *value = g_strdup ("active");
  else if (g_strcmp0 (*value, "F") == 0)
    g_free (g_steal_pointer (value)), *value = g_strdup ("inactive");
}

static void
map_status_literals (CbSbExpr *e)
{
  if (e == NULL)
    return;
  map_status_literals (e->left);
  map_status_literals (e->right);
  if (e->field != g_intern_static_string ("STATUS"))
    return;
  if (e->value != NULL)
    map_status_literal (&e->value);
  for (guint i = 0; e->values != NULL && i < e->values->len; i++)
    map_status_literal ((char **) &g_ptr_array_index (e->values, i));
}

gboolean
cb_sb_expr_parse (const char *text,
                  CbSbExpr  **out,
                  char      **error_message)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  g_autoptr(CbSbExpr) e = NULL;
  g_autofree char *tok_error = NULL;
  Parser ps = { 0 };

  g_array_set_clear_func (tokens, (GDestroyNotify) clear_token);
  *out = NULL;
  *error_message = NULL;

  if (text == NULL)
    return TRUE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return TRUE;

  if (!tokenize (text, tokens, &tok_error))
    {
      *error_message = g_strdup_printf ("Query syntax error: %s", tok_error);
      return FALSE;
    }
  ps.tokens = tokens;
  e = parse_or (&ps);
  if (e != NULL && peek (&ps)->kind != TOK_END)
    {
      fail (&ps, "AND, OR or the end of the query");
      g_clear_pointer (&e, cb_sb_expr_free);
    }
  if (e == NULL)
    {
      *error_message = g_strdup_printf ("Query syntax error: %s", ps.error);
      g_free (ps.error);
      return FALSE;
    }
  map_status_literals (e);
  *out = g_steal_pointer (&e);
  return TRUE;
}

/* ---- query's <filter> -------------------------------------------------------------------- */

static xmlNode *
first_element (xmlNode *node)
{
  for (xmlNode *c = node ? node->children : NULL; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return c;
  return NULL;
}

static char *
child_text (xmlNode    *node,
            const char *name)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp ((const char *) c->name, name) == 0)
      {
        xmlChar *x = xmlNodeGetContent (c);
        char *s = g_strstrip (g_strdup ((const char *) x));
        xmlFree (x);
        return s;
      }
  return NULL;
}

static GPtrArray *
child_values (xmlNode *node)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp ((const char *) c->name, "value") == 0)
      {
        xmlChar *x = xmlNodeGetContent (c);
        g_ptr_array_add (values, g_strdup ((const char *) x));
        xmlFree (x);
      }
  return values;
}

static CbSbExpr *
filter_node (xmlNode  *node,
             char    **error)
{
  static const struct { const char *name; CmpOp op; } cmps[] = {
    { "equalto", OP_EQ }, { "notequalto", OP_NE }, { "lessthan", OP_LT },
    { "lessthanorequalto", OP_LE }, { "greaterthan", OP_GT },
    { "greaterthanorequalto", OP_GE },
  };
  const char *name = (const char *) node->name;
  g_autofree char *field = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(CbSbExpr) e = NULL;

  if (strcmp (name, "and") == 0 || strcmp (name, "or") == 0)
    {
      ExprKind kind = name[0] == 'a' ? EXPR_AND : EXPR_OR;
      guint n = 0;

      for (xmlNode *c = node->children; c != NULL; c = c->next)
        {
          CbSbExpr *sub;

          if (c->type != XML_ELEMENT_NODE)
            continue;
          sub = filter_node (c, error);
          if (sub == NULL)
            return NULL;
          if (e == NULL)
            e = sub;
          else
            {
              CbSbExpr *join = expr_new (kind);
              join->left = g_steal_pointer (&e);
              join->right = sub;
              e = join;
            }
          n++;
        }
      if (n < 2)
        {
          *error = g_strdup_printf ("Invalid filter: <%s> needs at least two conditions", name);
          return NULL;
        }
      return g_steal_pointer (&e);
    }

  field = child_text (node, "field");
  if (field == NULL || *field == '\0')
    {
      *error = g_strdup_printf ("Invalid filter: <%s> has no <field>", name);
      return NULL;
    }
  values = child_values (node);

  for (guint i = 0; i < G_N_ELEMENTS (cmps); i++)
    if (strcmp (name, cmps[i].name) == 0)
      {
        if (values->len != 1)
          {
            *error = g_strdup_printf ("Invalid filter: <%s> needs exactly one <value>", name);
            return NULL;
          }
        e = expr_new (EXPR_CMP);
        e->op = cmps[i].op;
        e->field = intern_field (field);
        e->value = g_strdup (g_ptr_array_index (values, 0));
        return g_steal_pointer (&e);
      }

  if (strcmp (name, "isnull") == 0 || strcmp (name, "isnotnull") == 0)
    {
      e = expr_new (EXPR_NULL);
      e->field = intern_field (field);
      e->negate = strcmp (name, "isnotnull") == 0;
      return g_steal_pointer (&e);
    }
  if (strcmp (name, "like") == 0 || strcmp (name, "notlike") == 0)
    {
      if (values->len != 1)
        {
          *error = g_strdup_printf ("Invalid filter: <%s> needs exactly one <value>", name);
          return NULL;
        }
      e = expr_new (EXPR_LIKE);
      e->field = intern_field (field);
      e->negate = name[0] == 'n';
      e->value = g_strdup (g_ptr_array_index (values, 0));
      return g_steal_pointer (&e);
    }
  if (strcmp (name, "in") == 0 || strcmp (name, "notin") == 0)
    {
      if (values->len < 1)
        {
          *error = g_strdup_printf ("Invalid filter: <%s> needs at least one <value>", name);
          return NULL;
        }
      e = expr_new (EXPR_IN);
      e->field = intern_field (field);
      e->negate = name[0] == 'n';
      e->values = g_steal_pointer (&values);
      return g_steal_pointer (&e);
    }
  if (strcmp (name, "between") == 0)
    {
      CbSbExpr *lo, *hi;

      if (values->len != 2)
        {
          *error = g_strdup ("Invalid filter: <between> needs exactly two <value> elements");
          return NULL;
        }
      lo = expr_new (EXPR_CMP);
      lo->op = OP_GE;
      lo->field = intern_field (field);
      lo->value = g_strdup (g_ptr_array_index (values, 0));
      hi = expr_new (EXPR_CMP);
      hi->op = OP_LE;
      hi->field = lo->field;
      hi->value = g_strdup (g_ptr_array_index (values, 1));
      e = expr_new (EXPR_AND);
      e->left = lo;
      e->right = hi;
      return g_steal_pointer (&e);
    }

  *error = g_strdup_printf ("Invalid filter: unknown operator <%s>", name);
  return NULL;
}

gboolean
cb_sb_expr_from_filter (xmlNode   *filter,
                        CbSbExpr **out,
                        char     **error_message)
{
  xmlNode *child = first_element (filter);
  guint n = 0;

  *out = NULL;
  *error_message = NULL;
  for (xmlNode *c = child; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      n++;
  if (n == 0)
    return TRUE;
  if (n > 1)
    {
      *error_message = g_strdup ("Invalid filter: <filter> takes one condition; "
                                 "combine several with <and> or <or>");
      return FALSE;
    }
  *out = filter_node (child, error_message);
  return *out != NULL;
}
