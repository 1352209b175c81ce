import { Injectable } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '@tsunagi/domain';
import { maySeePerson } from '@tsunagi/participants';
import { ApiError, AppConfig, Language } from '@tsunagi/platform';
import type { SuggestionsProjection } from '@tsunagi/projections';
import { SuggestedOpportunity, SuggestedOrganisation, SuggestedPerson, SuggestionIndex, policyById } from '@tsunagi/suggestions';
import { ProjectionsService } from '../../projections/projections.service';
import { SuggestionPage, peopleScopeOf, suggestionPage, suggestionRequest } from './suggestion-page';
import type { SuggestionsRequestDto } from './suggestions.request.dto';

export const SUGGESTIONS_PROJECTION = 'suggestions';

/** Nest reads the handlers' constructor parameters from this class (its decorator records them). */
@Injectable()
abstract class SuggestionsHandler {
  protected readonly index: SuggestionIndex;
  constructor(
    projections: ProjectionsService,
    protected readonly config: AppConfig,
  ) {
    this.index = projections.projection<SuggestionsProjection>(SUGGESTIONS_PROJECTION).index;
  }
  protected get policy() {
    return policyById(this.config.SUGGESTIONS_POLICY);
  }
}

/** Who asks, about which opportunity or person, with which filters and page, in which language. */
abstract class SuggestionsQuery<Result> extends Query<Result> {
  constructor(
    readonly principal: Principal,
    readonly subjectId: string,
    readonly request: SuggestionsRequestDto,
    readonly language: Language,
  ) {
    super();
  }
}

/** For an opportunity (subjectId): people (volunteer roles, pro-bono projects) or organisations (collaborations). */
export class SuggestForOpportunityQuery extends SuggestionsQuery<SuggestionPage<SuggestedPerson> | SuggestionPage<SuggestedOrganisation>> {}

@QueryHandler(SuggestForOpportunityQuery)
export class SuggestForOpportunityHandler extends SuggestionsHandler implements IQueryHandler<SuggestForOpportunityQuery> {
  /** A coordinator asks only for opportunities of their wards; opportunities are public, so another ward's is a 403, not a 404. */
  async execute({ principal, subjectId: opportunityId, request, language }: SuggestForOpportunityQuery) {
    const opportunity = this.index.opportunity(opportunityId);
    if (!opportunity) throw new ApiError(404, 'opportunity.not_found');
    if (principal.role !== 'admin' && !principal.wards.includes(opportunity.ward)) throw new ApiError(403, 'auth.forbidden');
    if (!opportunity.open) throw new ApiError(409, 'opportunity.closed');
    const policy = this.policy;
    const asked = suggestionRequest(request, policy, language);
    if (opportunity.kind === 'collaboration') {
      return suggestionPage(this.index.organisationsFor(opportunityId, asked), request.limit, policy, (o) => o.organisationId);
    }
    return suggestionPage(this.index.peopleFor(opportunityId, peopleScopeOf(principal), asked), request.limit, policy, (p) => p.personId);
  }
}

/** For a person (subjectId): open volunteer roles and pro-bono projects with a place left. */
export class SuggestForPersonQuery extends SuggestionsQuery<SuggestionPage<SuggestedOpportunity>> {}

@QueryHandler(SuggestForPersonQuery)
export class SuggestForPersonHandler extends SuggestionsHandler implements IQueryHandler<SuggestForPersonQuery> {
  /**
   * The volunteer themself, admins, and coordinators who may see the person (the people visibility rule); anyone
   * else learns nothing, not even that the person exists. Someone else is offered nothing to pass on unless the
   * person agreed to be contacted; paused and deactivated people are offered nothing.
   */
  async execute({ principal, subjectId: personId, request, language }: SuggestForPersonQuery) {
    const person = this.index.person(personId);
    const themself = principal.role === 'volunteer' && principal.personId === personId;
    const sees = person && (themself || (principal.role !== 'volunteer' && maySeePerson(principal, { personId, ward: person.ward, consents: { mayBeContacted: person.contactable, visibleToOtherWards: person.visibleToOtherWards } })));
    if (!person || !sees) throw new ApiError(404, 'person.not_found');
    const policy = this.policy;
    if (!themself && !person.contactable) return { policy: policy.id, items: [] };
    return suggestionPage(this.index.opportunitiesFor(personId, suggestionRequest(request, policy, language)), request.limit, policy, (o) => o.opportunityId);
  }
}
