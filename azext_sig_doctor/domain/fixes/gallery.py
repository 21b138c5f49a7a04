"""Edits of a gallery request (az sig create)."""

from dataclasses import replace

from azext_sig_doctor.domain.fixes import Edit, Unresolved, op
from azext_sig_doctor.domain.fixes.definition import clean_name


@op("gallery_name", "gallery", tier=0)
def gallery_name(request, lookup):
    """Letters, digits, '_' and '.' only (no hyphen), ending with a letter or digit."""
    fixed = clean_name(request.gallery, allowed=r"A-Za-z0-9_.", separator="_")
    if not fixed or fixed == request.gallery:
        return Unresolved("'{}' has no valid gallery name left in it: use letters, digits, '_' and '.'".format(
            request.gallery))
    return Edit("name the gallery {}".format(fixed), lambda current: replace(current, gallery=fixed),
                sets=(("gallery", fixed),))
