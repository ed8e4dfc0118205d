#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-translation.sh SRCDIR LANG: extracts the strings of the sources listed in
# po/POTFILES.in as `meson compile costbridge-pot` does (the glib preset), merges them
# into po/LANG.po in a scratch folder, and fails when a string is untranslated or fuzzy
# (printing each one), or when msgfmt --check finds a problem (formats, plurals, header).
set -eu
srcdir=$1
lang=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cd "$srcdir"
xgettext --package-name=costbridge --files-from=po/POTFILES.in --directory="$srcdir" \
  --output="$scratch/costbridge.pot" --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_print:1:c-format 2>/dev/null

msgmerge --quiet --no-fuzzy-matching --output-file="$scratch/$lang.po" "po/$lang.po" "$scratch/costbridge.pot"
# Without fuzzy matching a changed string shows up as untranslated; fuzzy ones are
# left from the file itself.
msgattrib --untranslated --no-obsolete --no-wrap "$scratch/$lang.po" > "$scratch/untranslated.po"
msgattrib --only-fuzzy --no-obsolete --no-wrap "$scratch/$lang.po" > "$scratch/fuzzy.po"

status=0
stats=$(LC_ALL=C msgfmt --statistics --output-file=/dev/null "$scratch/$lang.po" 2>&1)
echo "po/$lang.po against the sources: $stats"
for kind in untranslated fuzzy; do
  # Every entry but the header, as msgattrib prints it.
  entries=$(awk 'BEGIN { RS = ""; ORS = "\n\n" } !/^(#[^\n]*\n)*msgid ""\nmsgstr ""/' "$scratch/$kind.po")
  if [ -n "$entries" ]; then
    echo "po/$lang.po: $kind strings:"
    printf '%s\n' "$entries"
    status=1
  fi
done

if ! msgfmt --check --check-accelerators=_ --output-file=/dev/null "$scratch/$lang.po"; then
  echo "po/$lang.po: msgfmt --check failed"
  status=1
fi

exit $status
