import { AnalyticsProjection, InboxProjection, MatchingProjection, MeetingsProjection, ParticipantsProjection, Projection, SpinOffsProjection, StreamCatalogueProjection, SuggestionsProjection } from '@tsunagi/projections';
import { WebhookEndpointsProjection } from '../webhooks/webhook-endpoints.projection';

/** The projections each API instance keeps; a new read model is added here. */
export const API_PROJECTIONS = (): Projection[] => [new StreamCatalogueProjection(), new MatchingProjection(), new ParticipantsProjection(), new MeetingsProjection(), new SpinOffsProjection(), new InboxProjection(), new WebhookEndpointsProjection(), new AnalyticsProjection(), new SuggestionsProjection()];
