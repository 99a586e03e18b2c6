// The moddle descriptor of our extension namespace (docs/bpmn-subset.md): the cc: attributes
// become real properties (businessObject.get('cc:script')), so the properties panel edits them
// with undo/redo, bpmn-js-differ sees their changes, and they are written back with the cc prefix.
// They extend every BaseElement: where an attribute may stand is the lint rules' business (as
// it is the server parser's), not the model's, so a misplaced one is kept and reported.

export const CC_NAMESPACE = 'https://contactcenter.pegadaian.co.id/schema/bpmn/1.0';

/** The attributes the server's parser knows (BpmnParser.KnownExtensionAttributes). */
export const CC_ATTRIBUTES = ['step', 'script', 'fields', 'serviceKind', 'slaPolicy', 'assign', 'performer', 'startableBy', 'purpose', 'flowKind'] as const;

export const ccModdle = {
  name: 'ContactCenter',
  prefix: 'cc',
  uri: CC_NAMESPACE,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'Attributes',
      isAbstract: true,
      extends: ['bpmn:BaseElement'],
      properties: CC_ATTRIBUTES.map(name => ({ name, isAttr: true, type: 'String' })),
    },
  ],
};
