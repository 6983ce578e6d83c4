"""Fixed interface texts (page chrome) of the preview, per language.

Author content is translated in the YAML and Markdown files; these are the labels around it.
Some strings are :meth:`str.format` templates: their arguments must be escaped by the caller.
"""

from __future__ import annotations

from html import escape

DEFAULT_LANG = "en"

UI: dict[str, dict[str, str]] = {
    "en": {
        # layout and index
        "all_courses": "All courses",
        "course_preview": "Course preview",
        "invalid_module": "invalid: run validate",
        "validation_problems": "{n} validation problem(s)",
        "run_validate": "run validate.",
        "not_found": "Page not found",
        "form_too_large": "The form is too large",
        "bad_request": "Bad request",
        "length_required": "The form was sent without its length",
        # case pages
        "learning_objectives": "Learning objectives",
        "exhibits": "Exhibits",
        "decisions": "Decisions",
        "start_decisions": "Start the decisions",
        "reflections": "Reflections",
        "model_answer": "Model answer",
        "debrief": "Debrief",
        "missing_file": "missing {name}",
        "missing_table": "missing table {name}",
        "back_to_case": "Back to the case",
        "score": "Score:",
        "option_score": "option score {score}",
        "not_graded": "Not graded.",
        "your_choice": "Your choice:",
        "feedback": "Feedback",
        "what_next": "What happens next",
        "see_results": "See your results",
        "continue": "Continue",
        "end_of_case": "End of the case",
        "overall": "Overall:",
        "competency": "Competency",
        "score_header": "Score",
        "read_debrief": "Read the debrief",
        # instrument pages
        "score_my_answers": "Score my answers",
        "true": "true",
        "false": "false",
        "invalid_answer": "Invalid answer",
        "results": "Results",
        "your_results": "Your results:",
        "level_lower": "level",
        "dimension": "Dimension",
        "level": "Level",
        "coverage": "Coverage",
        "label": "Label",
        "reachable_level": "Reachable level:",
        "none": "none",
        "points_of": "points {points} of {max_points}",
        "ratio": "ratio",
        "n_points": "{points} points",
        "train": "train:",
        "requirements_not_met": "Minimum requirements not met:",
        "gaps": "Gaps",
        "answer_again": "Answer again",
    },
    "fr": {
        "all_courses": "Tous les cours",
        "course_preview": "Aperçu des cours",
        "invalid_module": "invalide : lancer validate",
        "validation_problems": "{n} problème(s) de validation",
        "run_validate": "lancer validate.",
        "not_found": "Page introuvable",
        "form_too_large": "Le formulaire est trop volumineux",
        "bad_request": "Requête invalide",
        "length_required": "La longueur du formulaire manque",
        "learning_objectives": "Objectifs pédagogiques",
        "exhibits": "Annexes",
        "decisions": "Décisions",
        "start_decisions": "Commencer les décisions",
        "reflections": "Réflexions",
        "model_answer": "Proposition de réponse",
        "debrief": "Note pédagogique",
        "missing_file": "{name} manquant",
        "missing_table": "tableau {name} manquant",
        "back_to_case": "Retour au cas",
        "score": "Score :",
        "option_score": "score de l’option {score}",
        "not_graded": "Non noté.",
        "your_choice": "Votre choix :",
        "feedback": "Commentaire",
        "what_next": "Et ensuite",
        "see_results": "Voir vos résultats",
        "continue": "Continuer",
        "end_of_case": "Fin du cas",
        "overall": "Score global :",
        "competency": "Compétence",
        "score_header": "Score",
        "read_debrief": "Lire la note pédagogique",
        "score_my_answers": "Calculer mes scores",
        "true": "vrai",
        "false": "faux",
        "invalid_answer": "Réponse invalide",
        "results": "Résultats",
        "your_results": "Vos résultats :",
        "level_lower": "niveau",
        "dimension": "Dimension",
        "level": "Niveau",
        "coverage": "Couverture",
        "label": "Label",
        "reachable_level": "Niveau atteignable :",
        "none": "aucun",
        "points_of": "{points} points sur {max_points}",
        "ratio": "ratio",
        "n_points": "{points} points",
        "train": "se former :",
        "requirements_not_met": "Exigences minimales non remplies :",
        "gaps": "Écarts",
        "answer_again": "Répondre à nouveau",
    },
}


def ui(key: str, lang: str) -> str:
    """The interface text ``key`` in ``lang``, else in English (``KeyError`` if unknown)."""
    return UI.get(lang, {}).get(key) or UI[DEFAULT_LANG][key]


def ui_html(key: str, lang: str, **args: str) -> str:
    """:func:`ui` escaped for HTML text; ``args`` (already HTML) fill its ``{}`` fields."""
    text = escape(ui(key, lang), quote=False)
    return text.format(**args) if args else text
