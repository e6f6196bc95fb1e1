/*
 * context_int.h -- the predicates of a trigger's context (context.c),
 * used by frames.c.  Each is documented at its definition.
 */
#ifndef SR_EVENTS_CONTEXT_INT_H
#define SR_EVENTS_CONTEXT_INT_H

#include "extract_int.h"

int ev_noun_determiner(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0, uint32_t *np);
bool ev_hypothetical(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t np);
bool ev_demanded(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0, uint32_t np);
bool ev_stative(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0);
uint32_t ev_clause_end(const ev_tables *t, const sr_doc *doc, uint32_t t1, uint32_t e);
bool ev_is_passive(const ev_tables *t, const sr_doc *doc, uint32_t s, uint32_t t0);
bool ev_detainees_of(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g,
                        int32_t e);
bool ev_class_in(const sr_extractor *x, const sr_doc *doc, enum ev_class cl, uint32_t a, uint32_t b);
void ev_drop_border_point(const sr_extractor *x, const sr_doc *doc, roles_t *r);
void ev_drop_pact_place(const sr_extractor *x, const sr_doc *doc, roles_t *r);
bool ev_armed_context(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const roles_t *r);
bool ev_armed_words(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
bool ev_security_context(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const roles_t *r);
int ev_security_words(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
bool ev_first_person(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
bool ev_own_soldiers(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
bool ev_conditional(const sr_doc *doc, const frame_ctx *c);
bool ev_deploys_no_force(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c);
bool ev_obj_slot(const ev_slotspec *sp, int n);
bool ev_subj_slot(const ev_slotspec *sp, int n);
bool ev_tree_worth(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g, int type);
bool ev_area_of_after(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
void ev_attack_of_takeover(sr_extractor *x, uint32_t si, const frame_ctx *c, roles_t *r);
void ev_left_place(sr_extractor *x, const sr_doc *doc, const frame_ctx *c, roles_t *r);
bool ev_governed_place(const sr_extractor *x, const sr_doc *doc, uint32_t s, int32_t e);
bool ev_reduced_participle(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c);
bool ev_habitual(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c);
bool ev_nominal_verb(sr_extractor *x, const sr_doc *doc, uint32_t si, uint32_t t);
void ev_same_place(sr_extractor *x, uint32_t si, int type, roles_t *r);
/* reach.c: before the parse, can the reading of trigger g in frame c,
 * with the roles r its words found, still meet the trigger's need for a
 * place, a doer or any role (roles), or to be armed or about security
 * (context), whatever the tree says?  True when it cannot. */
bool ev_roles_out_of_reach(const sr_extractor *x, const sr_doc *doc, uint32_t si, const ev_trigger *g, const frame_ctx *c,
			   const roles_t *r);
bool ev_context_out_of_reach(const sr_extractor *x, const sr_doc *doc, uint32_t si, const ev_trigger *g,
			     const frame_ctx *c, const roles_t *r);
/* reach.c: may tree_roles fill a role r lacks in sentence si (a name
 * where the tree could find it, or a proper noun of the tagger where it
 * could find a place no lexicon entry holds)? */
bool ev_tree_roles_may_fill(sr_extractor *x, const sr_doc *doc, uint32_t si, const ev_trigger *g, const frame_ctx *c,
			    const roles_t *r);
/* reach.c: may tree_light_doer give the nominal trigger of c a doer
 * other than the roles r holds: a name of its sentence that may be a
 * doer, or a force pronoun standing for the report's last doer? */
bool ev_light_doer_may_be(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const roles_t *r);

#endif
